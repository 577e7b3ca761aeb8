// Receiver 2 of 2: two listeners in this page (the first one throws for page_throws).
T("page_start");
chrome.runtime.onMessage.addListener((m) => {
  T("recv1", { kind: m.kind });
  if (m.kind === "page_throws") throw new Error("listener 1 threw");
  return undefined;
});
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv2", { kind: m.kind });
  switch (m.kind) {
    case "bg_sync":
    case "bg_promise":
      setTimeout(() => T(m.kind + ":late", X(() => sendResponse("page"))), 150);
      return true;
    case "page_sync":
      T("page_sync:sendResponse", X(() => sendResponse("page")));
      return undefined;
    case "page_throws":
      setTimeout(() => T("page_throws:sendResponse", X(() => sendResponse("page after throw"))), 50);
      return true;
  }
  return undefined;
});

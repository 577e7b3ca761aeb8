// Receiver 1 of 2 (the other is extension page a.html): who answers first wins.
T("bg_start");
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", { kind: m.kind });
  switch (m.kind) {
    case "bg_sync":
      T("bg_sync:sendResponse", X(() => sendResponse("bg")));
      return undefined;
    case "page_sync":
    case "page_throws":
      setTimeout(() => T(m.kind + ":late", X(() => sendResponse("bg"))), 150);
      return true;
    case "bg_promise":
      return Promise.resolve("bg promise");
    case "bg_true_page_none":
      setTimeout(() => T(m.kind + ":sendResponse", X(() => sendResponse("bg async"))), 50);
      return true;
  }
  return undefined;
});

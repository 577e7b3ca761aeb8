// A second receiver that answers 150 ms later: does an async `undefined` count as a reply?
T("page_start");
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", { kind: m.kind });
  setTimeout(() => T(m.kind + ":page_sendResponse", X(() => sendResponse("page"))), 150);
  return true;
});

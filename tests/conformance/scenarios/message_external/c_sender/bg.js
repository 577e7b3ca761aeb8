// The sender's own worker: gets the messages without an id and the one to its own id.
T("bg_start");
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("onMessage", { m, senderKeys: Object.keys(sender) });
  sendResponse({ own: m });
});
chrome.runtime.onMessageExternal.addListener((m) => T("onMessageExternal_WRONG", { m }));

// Receives external messages only on onMessageExternal (onMessage must stay silent).
T("bg_start");
chrome.runtime.onMessage.addListener((m) => T("onMessage_WRONG", { m }));
chrome.runtime.onMessageExternal.addListener((m, sender, sendResponse) => {
  T("onMessageExternal", { m, sender: SND(sender) });
  sendResponse({ echo: m });
});

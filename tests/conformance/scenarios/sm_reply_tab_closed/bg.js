// On "ready" from the content script, ask it something it promises (return true) to answer
// and never does; its tab is then closed: the callback reports how the channel ended.
T("bg_start");
chrome.runtime.onMessage.addListener((m, sender) => {
  if (m.kind !== "ready") return undefined;
  T("ready");
  CB("tabs_sendMessage:callback", (cb) => chrome.tabs.sendMessage(sender.tab.id, { kind: "hold" }, cb), 4000);
  return undefined;
});

// MessageSender of sendMessage: from the top frame, the iframe and an extension page in a
// tab (reported sorted once all three arrived); then the worker sends to the page and to the
// content script's top frame.
T("bg_start");
const seen = {};
let tabId = null;
chrome.runtime.onMessage.addListener((m, sender) => {
  if (m.who === "cs-top") tabId = sender.tab.id;
  seen[m.who] = { sender: SND(sender), tabKeys: sender.tab ? Object.keys(sender.tab) : null };
  if (Object.keys(seen).length !== 3) return undefined;
  for (const k of Object.keys(seen).sort()) T("sender:" + k, seen[k]);
  chrome.runtime.sendMessage({ who: "bg", tabId });
  chrome.tabs.sendMessage(tabId, { who: "bg" }, { frameId: 0 });
  return undefined;
});

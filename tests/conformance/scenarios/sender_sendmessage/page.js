// Sends to the worker; reports the senders it receives itself (content scripts, worker), and
// on the worker's message sends to the content script's top frame.
T("page_start");
const got = {};
chrome.runtime.onMessage.addListener((m, sender) => {
  got[m.who] = { sender: SND(sender), tabKeys: sender.tab ? Object.keys(sender.tab) : null };
  if (m.who === "bg") chrome.tabs.sendMessage(m.tabId, { who: "ext-page" }, { frameId: 0 });
  if (Object.keys(got).length === 3) for (const k of Object.keys(got).sort()) T("sender:" + k, got[k]);
  return undefined;
});
chrome.runtime.sendMessage({ who: "ext-page" });

// Sends from the top frame and the iframe; the top frame reports who sent to it.
const who = location.pathname === "/child.html" ? "cs-frame" : "cs-top";
T("cs_start");
const got = {};
chrome.runtime.onMessage.addListener((m, sender) => {
  got[m.who] = { sender: SND(sender), tabKeys: sender.tab ? Object.keys(sender.tab) : null };
  if (Object.keys(got).length === 2) for (const k of Object.keys(got).sort()) T("sender:" + k, got[k]);
  return undefined;
});
chrome.runtime.sendMessage({ who });

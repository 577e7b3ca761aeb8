// Reports the MessageSender of the top frame, the iframe and an extension page in a tab,
// once all three have connected (sorted by name: arrival order is a race).
T("bg_start");
const seen = {};
chrome.runtime.onConnect.addListener((port) => {
  const tabKeys = port.sender.tab ? Object.keys(port.sender.tab) : null;
  seen[port.name] = { sender: SND(port.sender), tabKeys };
  if (Object.keys(seen).length === 3) {
    for (const k of Object.keys(seen).sort()) T("sender:" + k, seen[k]);
  }
});

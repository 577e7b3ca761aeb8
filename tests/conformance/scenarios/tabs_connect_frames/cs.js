// Runs in the top frame and in the iframe (all_frames); answers the worker's tabs.connect.
const where = location.pathname === "/child.html" ? "frame" : "top";
T("cs_start", { where, windowTopIsSelf: window.top === window });
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name, sender: SND(port.sender) });
  port.onMessage.addListener((m) => port.postMessage({ where }));
});
if (where === "top") setTimeout(() => chrome.runtime.connect({ name: "ready" }), 200);

// Top frame and iframe (all_frames); the top frame answers at once, the iframe later.
const where = location.pathname === "/child.html" ? "frame" : "top";
T("cs_start", { where });
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", { q: m.q });
  if (where === "top") {
    sendResponse({ from: where, q: m.q });
    return undefined;
  }
  setTimeout(() => sendResponse({ from: where, q: m.q }), 100);
  return true;
});
setTimeout(() => chrome.runtime.sendMessage({ kind: "ready", where }), 200);

// Asks the extension page (which holds the reply) and holds the worker's question.
T("cs_start");
const held = []; // kept reachable: the reply is lost by the tab closing, not by GC
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", { kind: m.kind });
  held.push(sendResponse);
  return true;
});
PR("sendMessage:promise", () => NS.runtime.sendMessage({ kind: "hold" }), 4000);
setTimeout(() => chrome.runtime.sendMessage({ kind: "ready" }), 100);

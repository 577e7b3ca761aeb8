// Promises an answer (return true) and never gives it; its tab is closed by the steps.
T("page_start");
const held = []; // kept reachable: the reply is lost by the tab closing, not by GC
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", { kind: m.kind });
  held.push(sendResponse);
  return m.kind === "hold" ? true : undefined;
});

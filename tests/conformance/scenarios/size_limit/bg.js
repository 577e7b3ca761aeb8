// Receives the big messages and reports their lengths only.
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener((m) => {
    T("port_message", { len: typeof m === "string" ? m.length : D(m) });
    port.postMessage("ack:" + (typeof m === "string" ? m.length : "?"));
  });
});
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("onMessage", { len: typeof m === "string" ? m.length : D(m) });
  sendResponse("ack");
});

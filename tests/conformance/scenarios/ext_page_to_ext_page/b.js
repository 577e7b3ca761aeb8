// Connects and sends to the other extension page; its own listeners must stay silent.
T("page_start");
chrome.runtime.onConnect.addListener((port) => T("onConnect_WRONG", { name: port.name }));
chrome.runtime.onMessage.addListener((m) => T("onMessage_WRONG", { m }));
const port = chrome.runtime.connect({ name: "b-to-a" });
port.onMessage.addListener((m) => {
  T("port_message", { m });
  port.disconnect();
  PR("sendMessage", () => NS.runtime.sendMessage({ hi: "from b" })).then(() => T("page_done"));
});
port.postMessage({ hi: "port" });

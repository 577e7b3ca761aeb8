// sendMessage reaches only the onMessage context, connect only the onConnect one.
T("cs_start");
(async () => {
  await PR("sendMessage", () => NS.runtime.sendMessage({ hi: "message" }));
  const port = chrome.runtime.connect({ name: "port" });
  port.onMessage.addListener((m) => T("port_message", { m }));
  port.postMessage({ hi: "port" });
})();

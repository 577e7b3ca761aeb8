T("cs_start");
const port = chrome.runtime.connect({ name: "shared" });
// the one-shot message only after the port's message was answered (no cross-channel race)
port.onMessage.addListener((m) => {
  T("port_reply", { m });
  PR("sendMessage", () => NS.runtime.sendMessage({ n: 2 }));
});
port.postMessage({ n: 1 });

// Sees the extension page as a sender (tabs.connect from a page).
T("cs_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name, sender: SND(port.sender) });
  port.onMessage.addListener((m) => port.postMessage({ echo: m }));
});
chrome.runtime.connect({ name: "hello-page" });

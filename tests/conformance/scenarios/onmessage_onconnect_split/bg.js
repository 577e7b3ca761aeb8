// Only onConnect here; page a.html has only onMessage.
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name });
  port.onMessage.addListener((m) => port.postMessage({ echo: m }));
});

const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// Content-script ports end when their tab navigates or closes (no lastError).
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  const url = new URL(port.sender.url).pathname;
  T("onConnect", { name: port.name, url });
  port.onDisconnect.addListener((p) => T("onDisconnect", { name: port.name, url, lastError: LE(), error: PERR(p) }));
});

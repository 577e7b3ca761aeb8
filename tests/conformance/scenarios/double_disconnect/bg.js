const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// The receiver sees exactly one onDisconnect when the opener disconnects twice.
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name });
  port.onMessage.addListener((m) => T("onMessage", { m }));
  port.onDisconnect.addListener((p) => T("onDisconnect", { lastError: LE(), error: PERR(p) }));
});

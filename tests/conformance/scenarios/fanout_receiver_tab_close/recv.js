const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// A receiving page that goes away with its tab.
const who = location.pathname.slice(1, -5);
T("page_start", { who });
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name });
  port.onDisconnect.addListener((p) => T("onDisconnect", { lastError: LE(), error: PERR(p) }));
  port.onMessage.addListener((m) => {
    T("onMessage", { m });
    port.postMessage({ from: who });
  });
});

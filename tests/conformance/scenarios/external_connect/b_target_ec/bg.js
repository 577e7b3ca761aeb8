const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// Receives external connections only on onConnectExternal (onConnect must stay silent).
T("bg_start");
chrome.runtime.onConnect.addListener((port) => T("onConnect_WRONG", { name: port.name }));
chrome.runtime.onConnectExternal.addListener((port) => {
  T("onConnectExternal", { name: port.name, sender: SND(port.sender) });
  port.onMessage.addListener((m) => {
    T("onMessage", { m });
    port.postMessage({ echo: m });
  });
  port.onDisconnect.addListener((p) => T("onDisconnect", { lastError: LE(), error: PERR(p) }));
});

const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// Opener: the receivers' tabs are closed one after the other (steps).
T("cs_start");
const port = chrome.runtime.connect({ name: "closing" });
const got = [];
port.onMessage.addListener((m) => got.push(m.from));
port.onDisconnect.addListener((p) => T("onDisconnect", { lastError: LE(), error: PERR(p) }));
port.postMessage({ go: 1 });
setTimeout(() => T("replies", { got: got.sort() }), 400);

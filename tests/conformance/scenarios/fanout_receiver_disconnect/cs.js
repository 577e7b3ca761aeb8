const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// Opener of a channel with two receivers; one of them disconnects.
T("cs_start");
const port = chrome.runtime.connect({ name: "two" });
port.onMessage.addListener((m) => T("onMessage", { m }));
port.onDisconnect.addListener((p) => T("onDisconnect", { lastError: LE(), error: PERR(p) }));
port.postMessage({ go: 1 });
setTimeout(() => T("after_600ms", { post: X(() => port.postMessage({ again: 1 })) }), 600);

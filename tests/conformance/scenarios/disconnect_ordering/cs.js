const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// Opener: messages first, then onDisconnect without an error.
T("cs_start");
const port = chrome.runtime.connect({ name: "order" });
port.onMessage.addListener((m) => T("onMessage", { m }));
port.onDisconnect.addListener((p) => {
  T("onDisconnect", { lastError: LE(), error: PERR(p) });
  T("post_after_remote_disconnect", X(() => port.postMessage({ x: 1 })));
  T("disconnect_after_remote_disconnect", X(() => port.disconnect()));
});

const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// The receiver posts two messages then disconnects: they arrive before onDisconnect.
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name });
  port.onDisconnect.addListener((p) => T("own_onDisconnect_fired", { lastError: LE(), error: PERR(p) }));
  port.postMessage({ m: 1 });
  port.postMessage({ m: 2 });
  T("disconnect", X(() => port.disconnect()));
  T("disconnect_again", X(() => port.disconnect()));
  T("post_after_own_disconnect", X(() => port.postMessage({ m: 3 })));
});

// connect() with no receiver anywhere: the opener's port gets onDisconnect with the
// no-receiver error (Chrome: runtime.lastError; Firefox: port.error), asynchronously.
T("cs_start");
const p = chrome.runtime.connect({ name: "x" });
T("after_connect", { name: p.name, sender: D(p.sender), keys: Object.keys(p), lastError: LE() });
T("post_immediately", X(() => p.postMessage({ hello: 1 })));
Promise.resolve().then(() => T("microtask_after_connect"));
p.onDisconnect.addListener(function (port) {
  T("onDisconnect", {
    lastError: LE(),
    error: port.error === undefined ? "<undefined>" : port.error === null ? "<null>" : String(port.error),
    same: port === p,
    nargs: arguments.length,
  });
  setTimeout(() => {
    T("after_tick", { lastError: LE() });
    T("post_after_disconnect", X(() => p.postMessage({ again: 1 })));
    T("disconnect_after_disconnect", X(() => p.disconnect()));
    T("done");
  }, 0);
});

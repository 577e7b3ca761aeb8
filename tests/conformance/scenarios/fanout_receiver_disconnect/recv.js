const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// a.html disconnects when the first message arrives; b.html posts 300 ms later.
const who = location.pathname.slice(1, -5);
T("page_start", { who });
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name });
  port.onDisconnect.addListener((p) => T("onDisconnect", { lastError: LE(), error: PERR(p) }));
  port.onMessage.addListener((m) => {
    T("onMessage", { m });
    if (who === "a") {
      T("disconnect", X(() => port.disconnect()));
    } else {
      setTimeout(() => T("late_post", X(() => port.postMessage({ late: who }))), 300);
    }
  });
});

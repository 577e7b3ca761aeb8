// Only onConnect here: a context with onConnect alone is not a sendMessage receiver. On "go"
// the worker adds onMessage and sends itself: the calling context never receives its own.
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name });
  chrome.runtime.onMessage.addListener((m) => T("onMessage_WRONG", { m }));
  (async () => {
    await PR("bg:promise", () => NS.runtime.sendMessage({ from: "bg" }));
    await CB("bg:callback", (cb) => chrome.runtime.sendMessage({ from: "bg" }, cb));
    T("bg:done");
  })();
});

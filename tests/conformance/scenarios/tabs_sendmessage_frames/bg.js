// Once both frames said "ready": tabs.sendMessage to all frames (the top frame answers at
// once, the iframe 100 ms later), to frame 0, to the iframe, to a missing frame and tab.
T("bg_start");
const ready = {};
chrome.runtime.onMessage.addListener((m, sender) => {
  if (m.kind !== "ready") return undefined;
  ready[m.where] = { tabId: sender.tab.id, frameId: sender.frameId };
  if (!ready.top || !ready.frame) return undefined;
  const tabId = ready.top.tabId;
  (async () => {
    await PR("all", () => NS.tabs.sendMessage(tabId, { q: "all" }));
    await PR("frame0", () => NS.tabs.sendMessage(tabId, { q: "frame0" }, { frameId: 0 }));
    await PR("iframe", () => NS.tabs.sendMessage(tabId, { q: "iframe" }, { frameId: ready.frame.frameId }));
    await PR("missing_frame", () => NS.tabs.sendMessage(tabId, { q: "x" }, { frameId: 987654 }));
    await PR("missing_tab", () => NS.tabs.sendMessage(987654321, { q: "x" }));
    await CB("missing_tab_callback", (cb) => chrome.tabs.sendMessage(987654321, { q: "x" }, cb));
    await PR("string_tab", () => NS.tabs.sendMessage("1", { q: "x" }));
    await PR("no_message", () => NS.tabs.sendMessage(tabId));
    await PR("bad_options", () => NS.tabs.sendMessage(tabId, { q: "x" }, { foo: 1 }));
    T("bg_done");
  })();
  return undefined;
});

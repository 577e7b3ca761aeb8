const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// When the top frame's content script says "ready", connect to the tab: all frames, frame 0,
// a missing frame and a missing tab.
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== "ready") return;
  const tabId = port.sender.tab.id;
  const replies = [];
  const all = chrome.tabs.connect(tabId, { name: "all" });
  all.onMessage.addListener((m) => replies.push("all:" + m.where));
  all.postMessage({ q: "all" });
  const top = chrome.tabs.connect(tabId, { name: "top", frameId: 0 });
  top.onMessage.addListener((m) => replies.push("top:" + m.where));
  top.postMessage({ q: "top" });
  const noFrame = chrome.tabs.connect(tabId, { name: "noframe", frameId: 987654 });
  noFrame.onDisconnect.addListener((p) => T("noframe_onDisconnect", { lastError: LE(), error: PERR(p) }));
  const noTab = chrome.tabs.connect(987654321, { name: "notab" });
  noTab.onDisconnect.addListener((p) => T("notab_onDisconnect", { lastError: LE(), error: PERR(p) }));
  setTimeout(() => T("replies", { replies: replies.sort() }), 500);
});

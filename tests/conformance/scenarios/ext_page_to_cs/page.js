// The content script connects here first; the page answers with tabs.connect to that tab.
T("page_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name, sender: SND(port.sender) });
  const back = chrome.tabs.connect(port.sender.tab.id, { name: "from-ext-page", frameId: 0 });
  back.onMessage.addListener((m) => T("back_onMessage", { m }));
  back.postMessage({ hi: 1 });
});

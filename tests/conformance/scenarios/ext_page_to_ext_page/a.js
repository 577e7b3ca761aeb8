// Receives b.html's port and one-shot message; answers both.
T("page_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name, sender: SND(port.sender) });
  port.onMessage.addListener((m) => {
    T("port_message", { m });
    port.postMessage({ echo: m });
  });
  port.onDisconnect.addListener(() => T("port_disconnect", { lastError: LE() }));
});
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("onMessage", { m, sender: SND(sender) });
  sendResponse({ reply: m });
});

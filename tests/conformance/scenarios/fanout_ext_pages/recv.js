// An extension page that receives runtime.connect from the content script.
const who = location.pathname.slice(1, -5);
T("page_start", { who });
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name, senderKeys: Object.keys(port.sender) });
  port.onMessage.addListener((m) => {
    T("onMessage", { m });
    port.postMessage({ from: who, echo: m });
  });
});

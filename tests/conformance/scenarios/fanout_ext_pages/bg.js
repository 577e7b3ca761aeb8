// The worker is one receiver among three (with pages a.html and b.html).
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name, senderUrl: port.sender && port.sender.url });
  port.onMessage.addListener((m) => {
    T("onMessage", { m });
    port.postMessage({ from: "bg", echo: m });
  });
});

// Two onConnect listeners get the same Port object; two onMessage listeners the same sender.
T("bg_start");
let first = null;
let firstSender = null;
let firstSendResponse = null;
chrome.runtime.onConnect.addListener((port) => {
  first = port;
  T("onConnect1", { name: port.name });
  port.onMessage.addListener((m, p) => T("port_listener1", { m, samePort: p === port }));
});
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect2", { name: port.name, samePort: port === first, sameSender: port.sender === first.sender });
  port.onMessage.addListener((m, p) => {
    T("port_listener2", { m, samePort: p === port });
    port.postMessage("ack");
  });
});
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  firstSender = sender;
  firstSendResponse = sendResponse;
  T("onMessage1", { m });
});
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("onMessage2", { m, sameSender: sender === firstSender, sameSendResponse: sendResponse === firstSendResponse });
  sendResponse("from 2");
});

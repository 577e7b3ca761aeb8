// The same function added twice to onConnect, onMessage, port.onMessage, port.onDisconnect:
// how often it runs, and what hasListener says after one removeListener.
T("bg_start");
const counts = { onConnect: 0, onMessage: 0, portMessage: 0, portDisconnect: 0 };
function onPortMessage() {
  counts.portMessage++;
}
function onPortDisconnect() {
  counts.portDisconnect++;
  setTimeout(() => T("counts", counts), 100);
}
function onConnect(port) {
  counts.onConnect++;
  port.onMessage.addListener(onPortMessage);
  port.onMessage.addListener(onPortMessage);
  port.onDisconnect.addListener(onPortDisconnect);
  port.onDisconnect.addListener(onPortDisconnect);
  T("port_hasListener", { msg: port.onMessage.hasListener(onPortMessage), hasListeners: X(() => port.onMessage.hasListeners()) });
}
function onMessage(m, sender, sendResponse) {
  counts.onMessage++;
  sendResponse(counts.onMessage);
}
chrome.runtime.onConnect.addListener(onConnect);
chrome.runtime.onConnect.addListener(onConnect);
chrome.runtime.onMessage.addListener(onMessage);
chrome.runtime.onMessage.addListener(onMessage);
function removed() {}
chrome.runtime.onMessage.addListener(removed);
chrome.runtime.onMessage.addListener(removed);
chrome.runtime.onMessage.removeListener(removed);
T("after_add_twice_remove_once", { has: chrome.runtime.onMessage.hasListener(removed) });
chrome.runtime.onMessage.removeListener(removed);
T("after_remove_twice", { has: chrome.runtime.onMessage.hasListener(removed), hasListeners: X(() => chrome.runtime.onMessage.hasListeners()) });

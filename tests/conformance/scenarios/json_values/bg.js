// Describes every value that arrives (serialization: JSON in Chrome, structured clone in Firefox).
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener((m) => T("got", D(m)));
});

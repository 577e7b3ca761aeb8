// Receives three connects and reports each name (default "" when no name / undefined / null).
T("bg_start");
const names = [];
chrome.runtime.onConnect.addListener((port) => {
  names.push(port.name);
  port.onMessage.addListener((m) => port.postMessage({ echo: m, name: port.name }));
  if (names.length === 4) T("names", { names: names.slice().sort() });
});

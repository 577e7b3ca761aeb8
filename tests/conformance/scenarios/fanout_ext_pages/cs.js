// One connect reaches the worker and both extension pages; every reply comes back.
T("cs_start");
const port = chrome.runtime.connect({ name: "fan" });
const got = [];
port.onMessage.addListener((m) => got.push(m.from + ":" + JSON.stringify(m.echo)));
port.postMessage({ n: 1 });
port.postMessage({ n: 2 });
setTimeout(() => T("replies", { got: got.sort() }), 500);

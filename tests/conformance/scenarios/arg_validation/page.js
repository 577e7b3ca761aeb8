// Argument validation texts of runtime.connect, tabs.connect and Port.postMessage.
T("page_start");
const calls = {
  "connect(123)": () => chrome.runtime.connect(123),
  "connect({}, {})": () => chrome.runtime.connect({}, {}),
  "connect(a, b, c)": () => chrome.runtime.connect("a", {}, {}),
  "connect('not-an-id')": () => chrome.runtime.connect("not-an-id").name,
  "connect({foo: 1})": () => chrome.runtime.connect({ foo: 1 }),
  "connect({name: 5})": () => chrome.runtime.connect({ name: 5 }),
  "connect(null, {name: 'n'})": () => chrome.runtime.connect(null, { name: "n" }).name,
  "connect(undefined, {name: null})": () => chrome.runtime.connect(undefined, { name: null }).name,
  "connect({includeTlsChannelId: true})": () => chrome.runtime.connect({ includeTlsChannelId: true }).name,
  "tabs.connect()": () => chrome.tabs.connect(),
  "tabs.connect('1')": () => chrome.tabs.connect("1"),
  "tabs.connect(1, {foo: 1})": () => chrome.tabs.connect(1, { foo: 1 }),
  "tabs.connect(1, {name: 5})": () => chrome.tabs.connect(1, { name: 5 }),
  "tabs.connect(1, {frameId: 'x'})": () => chrome.tabs.connect(1, { frameId: "x" }),
  "port.postMessage()": () => chrome.runtime.connect({ name: "p" }).postMessage(),
};
for (const [k, fn] of Object.entries(calls)) T(k, X(fn));

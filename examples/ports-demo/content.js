// Content script: connects to the background, sends a hello and, on each page click,
// another message; answers the background's own port (opened with tabs.connect).
const api = globalThis.browser ?? globalThis.chrome;
let n = 0;

const port = api.runtime.connect({ name: "demo-cs" });
port.onMessage.addListener((msg) => console.log("content got:", msg));
port.postMessage({ n: ++n, hello: location.href });

document.body.addEventListener("click", () => port.postMessage({ n: ++n, clicked: true }));

api.runtime.onConnect.addListener((bgPort) => {
  console.log(`content accepted "${bgPort.name}" from ${bgPort.sender.url}`);
  bgPort.onMessage.addListener(() => bgPort.postMessage({ title: document.title }));
  bgPort.onDisconnect.addListener(() => console.log(`"${bgPort.name}" closed by the background`));
});

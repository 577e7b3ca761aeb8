// Background (MV3 service worker in Chrome, event page in Firefox).
// 1. Accepts the content script's port "demo-cs" and answers each message.
// 2. On a toolbar click, opens a port *to* the tab's content script with tabs.connect,
//    sends one message, waits for the answer, then disconnects.
const api = globalThis.browser ?? globalThis.chrome;

api.runtime.onConnect.addListener((port) => {
  console.log(`onConnect "${port.name}" from ${port.sender.url} (tab ${port.sender.tab.id})`);
  port.onMessage.addListener((msg) => {
    console.log("background got:", msg);
    port.postMessage({ reply: `ack ${msg.n}` });
  });
  port.onDisconnect.addListener(() => console.log(`"${port.name}" disconnected`));
});

api.action.onClicked.addListener((tab) => {
  const port = api.tabs.connect(tab.id, { name: "demo-bg" });
  port.onMessage.addListener((msg) => {
    console.log("background got from tab:", msg);
    port.disconnect();
  });
  port.postMessage({ ask: "what is your title?" });
});

// An extension written for webext-runtime to drive two well-known sample native hosts:
//  * "ping_pong" (MDN webextensions-examples native-messaging/app/ping_pong.py): connect at
//    start-up, post "ping" when the toolbar button is clicked, log every reply;
//  * "com.google.chrome.example.echo" (chrome-extensions-samples api-samples/nativeMessaging):
//    a session that posts {text} messages and collects the echoes.
// Works unchanged in Chrome (MV3 service worker) and Firefox (background.scripts).
const api = globalThis.browser ?? globalThis.chrome;

function describeDisconnect(p) {
  // Chrome reports errors through runtime.lastError, Firefox through port.error
  const error = p.error || chrome.runtime.lastError;
  return error ? `Disconnected due to an error: ${error.message}` : "Disconnected";
}

const pingPort = chrome.runtime.connectNative("ping_pong");
pingPort.onMessage.addListener((response) => console.log("Received: " + response));
pingPort.onDisconnect.addListener((p) => console.log(describeDisconnect(p)));

chrome.action.onClicked.addListener(() => {
  console.log("Sending:  ping");
  pingPort.postMessage("ping");
});

// One sendNativeMessage to ping_pong: a new host process answers "pong" and is closed.
globalThis.pingOnce = () => api.runtime.sendNativeMessage("ping_pong", "ping");

// Connect to the echo host; after each message from it post the next text as {text}, then
// {text: "exit"}; resolve with everything received and how the port ended.
globalThis.echoSession = (texts) =>
  new Promise((resolve) => {
    const port = chrome.runtime.connectNative("com.google.chrome.example.echo");
    const received = [];
    const queue = [...texts, "exit"];
    port.onMessage.addListener((message) => {
      received.push(message);
      if (queue.length) port.postMessage({ text: queue.shift() });
    });
    port.onDisconnect.addListener((p) => resolve({ received, end: describeDisconnect(p) }));
  });

// The 64 MiB limit (Chrome): 60 MiB passes, 70 MiB throws and the port stays usable;
// sendMessage over the limit throws with its own prefix. The sendMessage calls wait for the
// port's last ack: Firefox gives no order between a port and a sendMessage channel, and
// with 130 MiB in flight the one-shot overtook the port messages (Firefox 153).
const MiB = 1024 * 1024;
T("page_start");
(async () => {
  const port = chrome.runtime.connect({ name: "big" });
  const acks = [];
  port.onMessage.addListener((m) => acks.push(m));
  T("post_60", X(() => port.postMessage("x".repeat(60 * MiB))));
  T("post_70", X(() => port.postMessage("x".repeat(70 * MiB))));
  T("post_small_after", X(() => port.postMessage("small")));
  for (let i = 0; i < 250 && !acks.includes("ack:5"); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await PR("send_70", () => NS.runtime.sendMessage("y".repeat(70 * MiB)), 3000);
  await PR("send_small", () => NS.runtime.sendMessage("small"), 3000);
  await new Promise((r) => setTimeout(r, 200));
  T("acks", { acks });
})();

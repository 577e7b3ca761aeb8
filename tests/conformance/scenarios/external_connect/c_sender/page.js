const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// connect(extensionId): allowed (no externally_connectable), refused (matches only), not
// installed, and a string that is not an id. Ids: Chrome from the manifest keys, Firefox the
// gecko ids the harness gives (<dir>@conformance.webext-runtime.test).
const FF = chrome.runtime.getURL("").startsWith("moz-extension:");
const ID = FF
  ? { target: "a_target@conformance.webext-runtime.test", ec: "b_target_ec@conformance.webext-runtime.test", missing: "missing@conformance.webext-runtime.test" }
  : { target: "namfmcikdofcfjkkbhbiedgjapkhbeoj", ec: "ojcfpofmmgghfpfnmkopjcliopgllpke", missing: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
T("page_start");
function open(label, id) {
  let port;
  const r = X(() => { port = chrome.runtime.connect(id, { name: label }); });
  T(label + ":connect", r);
  if (!port) return;
  port.onMessage.addListener((m) => {
    T(label + ":onMessage", { m });
    port.disconnect();
  });
  port.onDisconnect.addListener((p) => T(label + ":onDisconnect", { lastError: LE(), error: PERR(p) }));
  port.postMessage({ hi: label });
}
open("allowed", ID.target);
setTimeout(() => open("refused", ID.ec), 300);
setTimeout(() => open("missing", ID.missing), 600);
setTimeout(() => open("not-an-id", "not-an-id"), 900);

// sendMessage(extensionId, ...): allowed (no externally_connectable), refused (matches
// only), not installed, not an id, the caller's own id, and no id at all.
const FF = chrome.runtime.getURL("").startsWith("moz-extension:");
const ID = FF
  ? { target: "a_target@conformance.webext-runtime.test", ec: "b_target_ec@conformance.webext-runtime.test", missing: "missing@conformance.webext-runtime.test" }
  : { target: "namfmcikdofcfjkkbhbiedgjapkhbeoj", ec: "ojcfpofmmgghfpfnmkopjcliopgllpke", missing: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
T("page_start");
(async () => {
  await PR("allowed", () => NS.runtime.sendMessage(ID.target, { hi: "allowed" }));
  await CB("allowed_callback", (cb) => chrome.runtime.sendMessage(ID.target, { hi: "allowed cb" }, cb));
  await PR("refused", () => NS.runtime.sendMessage(ID.ec, { hi: "refused" }));
  await CB("refused_callback", (cb) => chrome.runtime.sendMessage(ID.ec, { hi: "refused cb" }, cb));
  await PR("missing", () => NS.runtime.sendMessage(ID.missing, { hi: "missing" }));
  await PR("not_an_id", () => NS.runtime.sendMessage("not-an-id", { hi: "bad" }));
  await PR("own_id", () => NS.runtime.sendMessage(chrome.runtime.id, { hi: "own" }));
  await PR("no_id", () => NS.runtime.sendMessage({ hi: "no id" }));
  T("page_done");
})();

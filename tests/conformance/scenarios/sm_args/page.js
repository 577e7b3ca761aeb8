// runtime.sendMessage argument shapes and validation texts, one case after the other.
T("page_start");
const cyc = {};
cyc.self = cyc;
const noop = function () {};
(async () => {
  await PR("message", () => NS.runtime.sendMessage("hello"));
  await CB("message_callback", (cb) => chrome.runtime.sendMessage("hello", cb));
  await PR("own_id_message", () => NS.runtime.sendMessage(chrome.runtime.id, "to own id"));
  await CB("message_options_callback", (cb) => chrome.runtime.sendMessage("m", {}, cb));
  await CB("null_message_null_callback", (cb) => chrome.runtime.sendMessage(null, "m2", null, cb));
  await PR("null_message_tls", () => NS.runtime.sendMessage(null, "m3", { includeTlsChannelId: true }));
  await PR("string_pair", () => NS.runtime.sendMessage("m", "x"));
  await PR("no_arguments", () => NS.runtime.sendMessage());
  await PR("undefined_message", () => NS.runtime.sendMessage(undefined));
  await PR("function_only", () => NS.runtime.sendMessage(noop), 300);
  await CB("bad_options_callback", (cb) => chrome.runtime.sendMessage("m", { foo: 1 }, cb));
  await PR("number_then_string", () => NS.runtime.sendMessage(123, "m"));
  await PR("five_arguments", () => NS.runtime.sendMessage(null, "m", {}, noop, 5), 300);
  await PR("object_message_object_options", () => NS.runtime.sendMessage({ a: 1 }, {}));
  await PR("cycle", () => NS.runtime.sendMessage(cyc));
  await PR("bigint", () => NS.runtime.sendMessage({ b: BigInt(1) }));
  await PR("function_member", () => NS.runtime.sendMessage({ f: noop, k: 1 }));
  await PR("undefined_member", () => NS.runtime.sendMessage({ u: undefined, k: 1 }));
  T("page_done");
})();

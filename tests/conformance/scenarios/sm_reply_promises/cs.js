// Promise replies, rejections and throws as the sender sees them (both forms).
T("cs_start");
const KINDS = [
  "promise", "promise_later", "promise_undefined", "reject_error", "reject_typeerror",
  "reject_string", "reject_object", "throw_error", "sendResponse_then_promise", "thenable",
];
(async () => {
  for (const kind of KINDS) {
    await PR(kind + ":promise", () => NS.runtime.sendMessage({ kind }));
    await CB(kind + ":callback", (cb) => chrome.runtime.sendMessage({ kind }, cb));
  }
  T("cs_done");
})();

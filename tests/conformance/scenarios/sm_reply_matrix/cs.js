// Every reply style, in the promise form and the callback form, one after the other.
T("cs_start");
const KINDS = ["sync", "async_true", "async_one", "async_thenable", "none", "false", "undef", "noarg", "twice"];
(async () => {
  for (const kind of KINDS) {
    await PR(kind + ":promise", () => NS.runtime.sendMessage({ kind, form: "promise" }));
    await new Promise((r) => setTimeout(r, 120)); // the late sendResponse calls run first
    await CB(kind + ":callback", (cb) => chrome.runtime.sendMessage({ kind, form: "callback" }, cb));
    await new Promise((r) => setTimeout(r, 120));
  }
  await new Promise((r) => setTimeout(r, 100));
  T("cs_done");
})();

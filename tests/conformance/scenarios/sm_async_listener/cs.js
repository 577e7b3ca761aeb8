T("cs_start");
const KINDS = ["value", "await_value", "undefined", "throw", "throw_string"];
(async () => {
  for (const kind of KINDS) {
    await PR(kind, () => NS.runtime.sendMessage({ kind }));
    await new Promise((r) => setTimeout(r, 400));
  }
  T("cs_done");
})();

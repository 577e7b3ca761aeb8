// One message per case to both receivers; the reply that arrives is the first one given.
T("cs_start");
const KINDS = ["bg_sync", "page_sync", "bg_promise", "page_throws", "bg_true_page_none", "none"];
(async () => {
  for (const kind of KINDS) {
    await PR(kind, () => NS.runtime.sendMessage({ kind }));
    await new Promise((r) => setTimeout(r, 250)); // let the late repliers try
  }
  T("cs_done");
})();

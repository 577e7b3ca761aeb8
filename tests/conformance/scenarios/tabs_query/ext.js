// tabs.query from an extension page (opened as the second tab, after a web page the
// extension's content script matches but it has no host permission for): filters, the
// Tab objects' shape with and without permission for the tab, argument errors, callbacks.
T("page_start");
const own = chrome.runtime.getURL("");
function kind(url) {
  if (url === undefined) return "<no url>";
  if (url.startsWith(own)) return "own page";
  if (url.startsWith("http://127.0.0.1")) return "web page";
  return url;
}
function summary(tabs) {
  return tabs.map((t) => ({
    url: kind(t.url),
    title: t.title === undefined ? "<no title>" : t.title,
    active: t.active,
    index: t.index,
    // (Playwright opens the extension page from the first tab, so Chromium gives it an
    // openerTabId: a harness artefact, left out)
    keys: Object.keys(t).filter((k) => k !== "openerTabId").sort(),
  }));
}
const queries = [
  ["all", {}],
  ["active_current", { active: true, currentWindow: true }],
  ["inactive", { active: false }],
  ["url_match", { url: "http://127.0.0.1/*" }],
  ["url_array", { url: ["http://127.0.0.1/*", "https://example.invalid/*"] }],
  ["own_url", { url: own + "*" }],
  ["title_glob", { title: "ext*" }],
  ["current_window_id", { windowId: -2 }],
  ["index_0", { index: 0 }],
  ["status_complete", { status: "complete" }],
  ["last_focused", { lastFocusedWindow: true }],
  ["not_current", { currentWindow: false }],
  ["bad_url", { url: "not a pattern" }],
  ["bogus_key", { bogus: 1 }],
  ["wrong_type", { active: "yes" }],
  ["bad_status", { status: "nope" }],
  ["no_args", undefined],
  ["number", 5],
];
(async () => {
  for (const [label, q] of queries) {
    await PR(label, () => {
      const p = q === undefined ? NS.tabs.query() : NS.tabs.query(q);
      return p && typeof p.then === "function" ? p.then(summary) : p;
    });
  }
  await CB("callback", (cb) => chrome.tabs.query({ active: true }, (tabs) => cb(summary(tabs))));
  await CB("callback_error", (cb) => chrome.tabs.query({ url: "bad" }, cb));
})();

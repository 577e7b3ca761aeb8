// importScripts in an extension service worker: classic scripts run at once, in order, in the
// worker's global scope; what a missing file, a throwing script, a bad URL and a late import
// (after the worker is installed) give. Firefox's MV2 background page has no importScripts.
T("bg_start", { typeofImportScripts: typeof importScripts });
if (typeof importScripts === "function") {
  T("lib", X(() => { importScripts("lib.js"); return self.fromLib; }));
  T("lib_again", X(() => { importScripts("./lib.js"); return self.libRuns; }));
  T("absolute", X(() => { importScripts(chrome.runtime.getURL("/sub/abs.js")); return self.fromAbs; }));
  T("two_in_order", X(() => { importScripts("b.js", "a.js"); return self.order; }));
  T("no_arguments", X(() => importScripts()));
  T("missing", X(() => importScripts("missing.js")));
  T("missing_stops_the_rest", X(() => { importScripts("missing.js", "late.js"); }));
  T("after_missing", { lateRan: self.lateRan === true });
  T("throws", X(() => importScripts("throws.js")));
  T("after_throw", { beforeThrow: self.beforeThrow === true });
  T("invalid_url", X(() => importScripts("http://[bad")));
  T("returns", X(() => importScripts("a.js")));
  setTimeout(() => {
    T("late_new", X(() => importScripts("late.js")));
    T("late_cached", X(() => { importScripts("lib.js"); return self.libRuns; }));
  }, 500);
}

// Promise rejections nobody handles: the global gets a cancelable 'unhandledrejection'
// (preventDefault keeps it off the console), then 'rejectionhandled' when a handler comes
// later; the order against the handlers' own callbacks and timers.
T("bg_start");
self.addEventListener("unhandledrejection", (e) => {
  T("unhandledrejection", {
    reason: String(e.reason),
    samePromise: e.promise === self.promises[String(e.reason)],
    cancelable: e.cancelable,
    trusted: e.isTrusted,
    ctor: e.constructor.name,
  });
  if (String(e.reason) === "quiet") e.preventDefault();
});
self.onrejectionhandled = (e) => {
  T("rejectionhandled", { reason: String(e.reason), samePromise: e.promise === self.promises.late });
};
self.promises = {};
self.promises.loud = Promise.reject("loud");
self.promises.quiet = Promise.reject("quiet");
self.promises.late = Promise.reject("late");
self.promises.soon = Promise.reject("soon");
self.promises.soon.catch(() => T("soon_caught"));
queueMicrotask(() => T("microtask"));
setTimeout(() => {
  T("timer");
  self.promises.late.catch(() => T("late_caught"));
  (async () => { throw new Error("from async"); })();
  self.promises["Error: from async"] = null;
}, 50);

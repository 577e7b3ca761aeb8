// An exception nobody catches in a timer or a queued microtask: the global's 'error' event
// (an ErrorEvent carrying the thrown value), once per exception, in order with the rest.
T("bg_start");
self.thrown = {};
self.addEventListener("error", (e) => {
  T("error_event", {
    ctor: e.constructor.name,
    message: e.message,
    sameError: e.error === self.thrown[e.error && e.error.message],
    cancelable: e.cancelable,
    trusted: e.isTrusted,
  });
  if (e.error && e.error.message === "quiet") e.preventDefault();
});
function thrower(text) {
  return () => {
    const err = new Error(text);
    self.thrown[text] = err;
    throw err;
  };
}
setTimeout(thrower("from timeout"), 10);
setTimeout(thrower("quiet"), 20);
queueMicrotask(thrower("from microtask"));
setTimeout(() => T("after"), 30);

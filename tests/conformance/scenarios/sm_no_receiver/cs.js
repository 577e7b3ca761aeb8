// sendMessage with no receiver anywhere: the promise rejects, the callback gets no argument
// and runtime.lastError; an unchecked lastError is reported on the console.
T("cs_start");
(async () => {
  await PR("promise", () => NS.runtime.sendMessage({ q: 1 }));
  await CB("callback", (cb) => chrome.runtime.sendMessage({ q: 2 }, cb));
  await CB("callback_lastError_after", (cb) =>
    chrome.runtime.sendMessage({ q: 3 }, function () {
      cb.apply(null, arguments);
      setTimeout(() => T("lastError_after_callback", { lastError: LE() }), 0);
    })
  );
  await new Promise((resolve) =>
    chrome.runtime.sendMessage({ q: 4 }, () => setTimeout(resolve, 50))
  ); // unchecked
  chrome.runtime.connect({ name: "go" });
  T("cs_done");
})();

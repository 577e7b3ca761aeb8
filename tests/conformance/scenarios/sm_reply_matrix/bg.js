// One receiver; how it answers depends on message.kind (sendResponse sync / async).
T("bg_start");
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", { kind: m.kind, form: m.form, nargs: 3, srType: typeof sendResponse });
  switch (m.kind) {
    case "sync":
      T("sync:sendResponse", X(() => sendResponse({ r: "sync" })));
      return undefined;
    case "async_true":
      setTimeout(() => T("async_true:sendResponse", X(() => sendResponse({ r: "async" }))), 50);
      return true;
    case "async_one":
      setTimeout(() => T("async_one:late_sendResponse", X(() => sendResponse({ r: "late" }))), 50);
      return 1;
    case "async_thenable":
      setTimeout(() => T("async_thenable:late_sendResponse", X(() => sendResponse({ r: "late" }))), 50);
      return { then() {} };
    case "none":
      return undefined;
    case "false":
      return false;
    case "undef":
      T("undef:sendResponse", X(() => sendResponse(undefined)));
      return undefined;
    case "noarg":
      T("noarg:sendResponse", X(() => sendResponse()));
      return undefined;
    case "twice":
      T("twice:first", X(() => sendResponse("first")));
      T("twice:second", X(() => sendResponse("second")));
      return undefined;
  }
  return undefined;
});

T("cs_start");
(async () => {
  await PR("sendMessage", () => NS.runtime.sendMessage("one"));
  const port = chrome.runtime.connect({ name: "twice" });
  port.postMessage(1);
  port.postMessage(2);
  setTimeout(() => port.disconnect(), 100);
})();

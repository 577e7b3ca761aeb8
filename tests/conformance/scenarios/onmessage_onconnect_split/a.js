T("page_start");
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("onMessage", { m });
  sendResponse("page");
});

// Echoes what arrives (described, so undefined / holes / BigInt stay visible).
T("bg_start");
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", D(m));
  sendResponse({ got: D(m) });
});

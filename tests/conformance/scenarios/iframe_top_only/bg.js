// Without all_frames only the top frame gets the content script.
T("bg_start");
chrome.runtime.onConnect.addListener((port) => {
  T("onConnect", { name: port.name, frameId: port.sender.frameId, url: port.sender.url });
});

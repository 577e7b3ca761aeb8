// An extension page in a tab connects to the worker.
T("page_start");
chrome.runtime.connect({ name: "ext-page" });

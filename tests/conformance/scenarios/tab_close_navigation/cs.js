T("cs_start");
chrome.runtime.connect({ name: location.pathname + location.search });

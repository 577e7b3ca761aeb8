T("cs_start", { top: window.top === window });
chrome.runtime.connect({ name: "from-" + (window.top === window ? "top" : "frame") });

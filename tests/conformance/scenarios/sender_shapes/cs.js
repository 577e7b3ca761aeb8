chrome.runtime.connect({ name: location.pathname === "/child.html" ? "cs-frame" : "cs-top" });
T("cs_start");

const PERR = (p) => (p.error === undefined ? "<undefined>" : p.error === null ? "<null>" : String(p.error));

// Opener: post, disconnect twice, then use the disconnected port.
T("cs_start");
const port = chrome.runtime.connect({ name: "dd" });
port.onDisconnect.addListener(() => T("own_onDisconnect_fired"));
port.postMessage({ before: 1 });
T("disconnect1", X(() => port.disconnect()));
T("disconnect2", X(() => port.disconnect()));
T("post_after_disconnect", X(() => port.postMessage({ after: 1 })));
T("name_after_disconnect", { name: port.name, error: PERR(port) });

// Connect with a name, without connectInfo, and with name undefined / null.
T("cs_start");
const ports = [
  chrome.runtime.connect({ name: "alpha" }),
  chrome.runtime.connect(),
  chrome.runtime.connect({ name: undefined }),
  chrome.runtime.connect({}),
];
T("opener_names", { names: ports.map((p) => p.name) });
const got = [];
ports.forEach((p, i) => {
  p.onMessage.addListener((m) => {
    got.push([i, m]);
    if (got.length === ports.length) {
      got.sort((a, b) => a[0] - b[0]);
      T("replies", { got });
    }
  });
  p.postMessage({ i });
});

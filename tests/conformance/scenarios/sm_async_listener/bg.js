// An async function listener: it always returns a Promise, even when it has nothing to say.
T("bg_start");
chrome.runtime.onMessage.addListener(async (m) => {
  T("recv", { kind: m.kind });
  if (m.kind === "value") return { r: "async value" };
  if (m.kind === "await_value") {
    await new Promise((r) => setTimeout(r, 50));
    return "awaited";
  }
  if (m.kind === "throw") throw new Error("async boom");
  if (m.kind === "throw_string") throw "thrown string";
  return undefined;
});

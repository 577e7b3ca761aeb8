// Listeners that answer with a Promise, an async function, a rejection or a throw.
T("bg_start");
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  T("recv", { kind: m.kind });
  switch (m.kind) {
    case "promise":
      return Promise.resolve({ r: "promise" });
    case "promise_later":
      return new Promise((resolve) => setTimeout(() => resolve({ r: "later" }), 50));
    case "promise_undefined":
      return Promise.resolve(undefined);
    case "reject_error":
      return Promise.reject(new Error("boom"));
    case "reject_typeerror":
      return Promise.reject(new TypeError("typed boom"));
    case "reject_string":
      return Promise.reject("nope");
    case "reject_object":
      return Promise.reject({ message: "object message" });
    case "throw_error":
      throw new Error("sync boom");
    case "sendResponse_then_promise":
      T("sr_then_p:sendResponse", X(() => sendResponse("from sendResponse")));
      return Promise.resolve("from promise");
    case "thenable":
      return { then(resolve) { resolve("thenable"); } };
  }
  return undefined;
});

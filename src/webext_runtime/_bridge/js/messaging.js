// file: messaging.js — the `chrome` / `browser` namespaces of one realm (classic script).
//
// A thin face over the runtime, like Chromium's GinPort: it keeps the JS listener lists and
// port objects, serializes outgoing messages inside the realm (JSON for Chrome, clone records
// for Firefox, via serialize.js), and forwards everything else to host functions:
//   __wxHost_connect(api, argsDesc)   -> [channel, end, name]   (validation texts from Python)
//   __wxHost_post(channel, end, payload)
//   __wxHost_disconnect(channel, end)
//   __wxHost_sendMessage(api, argsDesc) -> request id            (one-shot messages)
//   __wxHost_reply(requestId, payload|null, error|null)
//   __wxHost_uncaught(name, message, stack)
// The host calls back the global functions defined at the bottom (__wxOnConnect, ...).
// Every browser-visible text arrives in __wxInit(config).texts from profiles.py.
(function () {
  "use strict";
  var G = globalThis;
  var hostConnect = G.__wxHost_connect;
  var hostPost = G.__wxHost_post;
  var hostDisconnect = G.__wxHost_disconnect;
  var hostUncaught = G.__wxHost_uncaught;
  var S = G.__wxSerialize;

  var C = null; // config from __wxInit
  var T = null; // texts
  var chromeFamily = true;
  var c150Errors = false; // Profile.chromium150_listener_errors
  var ports = new Map(); // "ch:end" -> state
  var pendingReplies = new Map(); // request id -> {resolve, reject, callback}
  var lastErrorValue = undefined;
  var lastErrorChecked = true;
  var invalidated = false;

  function report(e) {
    try {
      var name = e && typeof e === "object" && "name" in e ? String(e.name) : "";
      var message = e && typeof e === "object" && "message" in e ? String(e.message) : String(e);
      var stack = e && typeof e === "object" && typeof e.stack === "string" ? e.stack : "";
      hostUncaught(name, message, stack);
    } catch (ignored) { /* the host is gone */ }
  }

  // -- argument descriptions for Python-side validation (one validator, profiles.py texts)
  function describe(v, depth) {
    if (v === undefined) return { $: "u" };
    if (v === null) return null;
    var t = typeof v;
    if (t === "string" || t === "boolean") return v;
    if (t === "number") return Number.isFinite(v) ? v : { $: "n", v: String(v) };
    if (t === "function") return { $: "f" };
    if (t === "symbol") return { $: "s" };
    if (t === "bigint") return { $: "b", v: String(v) };
    if (Array.isArray(v)) return { $: "a" };
    if (depth > 0) return { $: "o" };
    var out = {};
    Object.keys(v).forEach(function (k) { out[k] = describe(v[k], depth + 1); });
    return { $: "d", v: out };
  }
  function describeArgs(args) {
    var out = [];
    for (var i = 0; i < args.length; i++) out.push(describe(args[i], 0));
    return out;
  }

  // -- events ------------------------------------------------------------------------------
  var EventClass = [class {}][0]; // anonymous constructor, like Chromium's [C150 shapes]
  function makeEvent(name) {
    var listeners = [];
    var ev = new EventClass();
    ev.addListener = function addListener(fn) {
      if (typeof fn !== "function") {
        throw new TypeError(chromeFamily
          ? "Error in invocation of " + name + ".addListener(function callback): No matching signature."
          : "Incorrect argument types for " + name + ".addListener.");
      }
      if (listeners.indexOf(fn) < 0) listeners.push(fn);
    };
    ev.removeListener = function removeListener(fn) {
      var i = listeners.indexOf(fn);
      if (i >= 0) listeners.splice(i, 1);
    };
    ev.hasListener = function hasListener(fn) { return listeners.indexOf(fn) >= 0; };
    if (chromeFamily) {
      // Firefox's events have no hasListeners() [conformance listener_added_twice, Firefox 153]
      ev.hasListeners = function hasListeners() { return listeners.length > 0; };
    }
    Object.defineProperty(ev, "__listeners", { value: listeners, enumerable: false });
    return ev;
  }
  function fire(ev, args) {
    var snapshot = ev.__listeners.slice();
    var results = [];
    for (var i = 0; i < snapshot.length; i++) {
      try {
        results.push(snapshot[i].apply(undefined, args));
      } catch (e) {
        report(e);
        results.push(undefined);
      }
    }
    return results;
  }

  // -- lastError ---------------------------------------------------------------------------
  function withLastError(value, fn) {
    // value: {message} (Chrome) or an Error (Firefox callbacks [F153 b.])
    lastErrorValue = typeof value === "string" ? { message: value } : value;
    lastErrorChecked = false;
    try {
      fn();
    } catch (e) {
      report(e);
    } finally {
      var message = lastErrorValue.message;
      lastErrorValue = undefined;
      if (!lastErrorChecked) {
        console.error(T.unchecked.replace("{message}", message));
      }
      lastErrorChecked = true;
    }
  }
  function lastErrorGetter() {
    lastErrorChecked = true;
    if (chromeFamily) return lastErrorValue;
    return lastErrorValue === undefined ? null : lastErrorValue;
  }

  // -- ports -------------------------------------------------------------------------------
  var PortClass = [class {}][0];
  function checkValid() {
    if (invalidated) throw new Error(T.contextInvalidated);
  }
  function makePort(ch, end, name, sender) {
    var st = { ch: ch, end: end, closed: false, port: null };
    var onMessage = makeEvent("Port.onMessage");
    var onDisconnect = makeEvent("Port.onDisconnect");
    // The hot path of every port: no `arguments` object or apply() where avoidable (each
    // costs ~0.3 us in QuickJS). The checks run in the same order for both families.
    function postMessage(message) {
      if (invalidated) throw new Error(T.contextInvalidated);
      if (st.closed) throw new Error(T.portDisconnected);
      hostPost(ch, end, chromeFamily ? S.encodeChrome(message) : S.encodeFirefox(message));
    }
    function postMessageChrome(message) {
      if (arguments.length === 0) {
        checkValid();
        throw new TypeError(T.insufficientArgs);
      }
      postMessage(message);
    }
    function disconnect() {
      checkValid();
      if (st.closed) return;
      st.closed = true;
      ports.delete(ch + ":" + end);
      hostDisconnect(ch, end);
    }
    var port;
    if (chromeFamily) {
      // own properties in Chromium's order [C150 shapes]
      port = new PortClass();
      port.sender = sender === null ? undefined : sender;
      port.onMessage = onMessage;
      port.onDisconnect = onDisconnect;
      port.name = name;
      port.disconnect = function disconnect_() { return disconnect(); };
      port.postMessage = postMessageChrome;
      Object.defineProperty(port.disconnect, "name", { value: "disconnect" });
      Object.defineProperty(port.postMessage, "name", { value: "postMessage" });
      Object.defineProperty(port.postMessage, "length", { value: 0 });
    } else {
      // Firefox: a plain object, keys name, sender, error, onMessage, onDisconnect, ... [F153 a.]
      port = {
        name: name,
        sender: sender === null ? undefined : sender,
        error: null,
        onMessage: onMessage,
        onDisconnect: onDisconnect,
        postMessage: function (message) { postMessage(message); },
        disconnect: function () { return disconnect(); },
      };
    }
    st.port = port;
    st.onMessage = onMessage;
    st.onDisconnect = onDisconnect;
    ports.set(ch + ":" + end, st);
    return port;
  }

  // -- API functions -----------------------------------------------------------------------
  function connect() {
    checkValid();
    var r = hostConnect("runtime.connect", describeArgs(arguments));
    return makePort(r[0], r[1], r[2], null);
  }
  function tabsConnect() {
    var r = hostConnect("tabs.connect", describeArgs(arguments));
    return makePort(r[0], r[1], r[2], null);
  }

  // one-shot messages: sender side. The host validates (profiles.py texts) and routes;
  // serialization happens here, in the sending realm.
  function sendVia(api, args, promises) {
    checkValid();
    var list = Array.prototype.slice.call(args);
    var callback = null;
    // Chrome reads a lone function as the message (Could not serialize message.) [C150
    // validation]; Firefox as a callback and sends nothing [F153 e.]
    if (list.length && typeof list[list.length - 1] === "function" &&
        (list.length > 1 || !chromeFamily)) {
      callback = list.pop();
    }
    if (!chromeFamily && list.length === 0 && callback !== null) {
      return undefined; // Firefox: sendMessage(fn) alone sends nothing [F153 e.]
    }
    var desc = describeArgs(list);
    var spec = G.__wxHost_parseSend(api, desc);
    if (spec.reject !== undefined) {
      // Firefox reports these argument problems asynchronously [F153 f.]
      var rejection = new Error(spec.reject);
      if (callback !== null) {
        Promise.resolve().then(function () {
          withLastError(rejection, function () { callback(); });
        });
        return undefined;
      }
      return Promise.reject(rejection);
    }
    var payload;
    try {
      payload = chromeFamily
        ? S.encodeChrome(list[spec.index], TypeError)
        : S.encodeFirefox(list[spec.index]);
    } catch (e) {
      if (chromeFamily) {
        // [C150 validation]: thrown synchronously, with the signature prefix
        throw new TypeError(spec.prefix + e.message);
      }
      // Firefox never throws here: the promise rejects [F153 e.]; a bare Symbol gives the
      // unexpected-error text
      var err = e && e.name === "InvalidStateError" ? new Error(T.unexpectedError) : e;
      if (callback !== null) {
        Promise.resolve().then(function () { withLastError(err, function () { callback(); }); });
        return undefined;
      }
      return Promise.reject(err);
    }
    var id = G.__wxHost_send(api, desc, payload);
    var entry = { callback: callback };
    var promise;
    if (callback === null && promises) {
      promise = new Promise(function (resolve, reject) {
        entry.resolve = resolve;
        entry.reject = reject;
      });
    }
    pendingReplies.set(id, entry);
    return promise;
  }

  // tabs.query: the host checks the arguments (a bad one throws now, the profile's text) and
  // answers at once; the answer reaches the callback or promise after the current job, as
  // the browser's reply does [conformance tabs_query]
  function tabsQuery(args, promises) {
    checkValid();
    var list = Array.prototype.slice.call(args);
    var callback = list.length > 1 && typeof list[list.length - 1] === "function" ? list.pop() : null;
    var r = G.__wxHost_tabsQuery(describeArgs(list));
    var tabs = r.tabs !== undefined ? revive(r.tabs) : null;
    var error = r.error !== undefined ? r.error : null;
    if (callback !== null) {
      Promise.resolve().then(function () {
        if (error !== null) withLastError(chromeFamily ? { message: error } : new Error(error), function () { callback(); });
        else callback(tabs);
      });
      return undefined;
    }
    if (!promises) return undefined;
    return error !== null ? Promise.reject(new Error(error)) : Promise.resolve(tabs);
  }

  G.__wxOnReply = function (id, payload, error, noResponse) {
    var entry = pendingReplies.get(id);
    if (entry === undefined) return;
    pendingReplies.delete(id);
    var cb = entry.callback;
    if (error !== null) {
      if (cb) withLastError(chromeFamily ? { message: error } : new Error(error), function () { cb(); });
      else if (entry.reject) entry.reject(new Error(error));
      return;
    }
    if (noResponse || payload === null) {
      if (cb) {
        // Chrome: 0 arguments and lastError [C150 reply_matrix]; Firefox: cb(undefined) [F153 b.]
        if (chromeFamily) withLastError({ message: T.noResponse }, function () { cb(); });
        else cb(undefined);
      } else if (entry.resolve) {
        entry.resolve(undefined);
      }
      return;
    }
    var value = chromeFamily ? JSON.parse(payload) : S.decodeFirefox(payload);
    if (cb) cb(value);
    else if (entry.resolve) entry.resolve(value);
  };

  // one-shot messages: receiver side. Returns {had, keep}; answers go to __wxHost_reply.
  function errorText(e) {
    if (chromeFamily) {
      // [C150 reply_matrix throws]: "Uncaught Error: msg"; Chromium 156: "msg"
      // [conformance sm_reply_promises]
      if (e instanceof Error) return c150Errors ? "Uncaught " + e.name + ": " + e.message : e.message;
      return T.nonErrorRejection;
    }
    if (e instanceof Error) return e.message; // the name becomes Error [F153 b.]
    if (e !== null && typeof e === "object" && typeof e.message === "string") return e.message;
    return T.unexpectedError;
  }
  G.__wxOnSendMessage = function (req, payload, sender, external) {
    var ev = external ? events.onMessageExternal : events.onMessage;
    var listeners = ev.__listeners.slice();
    if (listeners.length === 0) return { had: false, keep: false };
    var message = chromeFamily ? JSON.parse(payload) : S.decodeFirefox(payload);
    sender = revive(sender);
    var done = false;
    function answer(out, err) {
      if (done) return;
      done = true;
      G.__wxHost_reply(req, out, err);
    }
    function encodeAnswer(value) {
      try {
        return chromeFamily ? S.encodeChrome(value, TypeError) : S.encodeFirefox(value);
      } catch (e) {
        answer(null, e.message);
        throw e;
      }
    }
    if (chromeFamily) {
      var sendResponse = function sendResponse(value) {
        if (done) return; // later answers are ignored, no throw [C150 reply_matrix]
        answer(encodeAnswer(value), null);
      };
      var keep = false;
      var thrown = [];
      for (var i = 0; i < listeners.length; i++) {
        var r;
        try {
          r = listeners[i](message, sender, sendResponse);
        } catch (e) {
          if (c150Errors) {
            // Chromium 150: the throw answers at once (first answer wins) [C150 reply_matrix]
            if (!done) answer(null, errorText(e));
            else report(e);
            continue;
          }
          // Chromium 156 (event_emitter.cc DispatchSync): every listener's exception is
          // logged "Error in event handler"; after all listeners ran, the first one closes
          // the channel with its message unless a reply already went (a later listener's
          // synchronous sendResponse wins) — one_time_message_handler.cc OnEventFired
          report(e);
          thrown.push(e);
          continue;
        }
        if (r === true) {
          keep = true; // only the literal true [C150 reply_matrix return_truthy]
        } else if (r instanceof Promise) {
          keep = true;
          r.then(function (v) {
            if (!done) answer(encodeAnswer(v), null);
          }, function (e) {
            if (!done) answer(null, errorText(e));
          });
        }
      }
      if (thrown.length && !done) answer(null, errorText(thrown[0]));
      return { had: true, keep: keep && !done };
    }
    // Firefox: the first answer in time wins, a rejection counts; a returned promise beats
    // a synchronous sendResponse of the same listener; a listener that returns neither a
    // promise nor true, and does not call sendResponse, gives no answer [F153 b.]. A promise
    // resolving undefined is an answer (undefined) [conformance sm_async_listener, Firefox
    // 153]. An answer that cannot be cloned reaches the sender as the no-receiver error
    // [conformance sm_reply_values, Firefox 153].
    var candidates = [];
    listeners.forEach(function (listener) {
      var called = false;
      var syncValue;
      var settle;
      var deferred = new Promise(function (resolve) { settle = resolve; });
      var sendResponse = function (value) {
        if (called) return;
        called = true;
        syncValue = value;
        settle(value);
      };
      var r;
      try {
        r = listener(message, sender, sendResponse);
      } catch (e) {
        report(e);
        candidates.push(Promise.reject(e));
        return;
      }
      if (r instanceof Promise) candidates.push(r);
      else if (r === true) candidates.push(deferred);
      else if (called) candidates.push(Promise.resolve(syncValue));
    });
    if (candidates.length === 0) return { had: true, keep: false };
    candidates.forEach(function (p) {
      p.then(function (v) {
        if (done) return;
        var out;
        try { out = S.encodeFirefox(v); } catch (e) { answer(null, T.noReceiver); return; }
        answer(out, null);
      }, function (e) {
        if (!done) answer(null, errorText(e));
      });
    });
    return { had: true, keep: true };
  };

  // Without a callback: Firefox returns a promise in both namespaces [F153 b.]; Chrome's
  // `chrome` namespace returns promises from MV3 on (MV2 returns undefined).
  function promisesFor(ns) {
    return ns === "browser" || !chromeFamily || C.mv >= 3;
  }

  function makeRuntime(ns) {
    var rt = {};
    if (C.kind === "web_page") {
      // [C150 external]: dynamicId, id, connect, sendMessage + 7 enums; id undefined
      rt.dynamicId = undefined;
      rt.id = undefined;
      rt.connect = function connect_() { return connect.apply(undefined, arguments); };
      rt.sendMessage = function sendMessage() { return sendVia("runtime.sendMessage", arguments, true); };
      Object.defineProperty(rt.connect, "name", { value: "connect" });
      ["ContextType", "OnInstalledReason", "OnRestartRequiredReason", "PlatformArch",
        "PlatformNaclArch", "PlatformOs", "RequestUpdateCheckStatus"].forEach(function (k) {
        rt[k] = C.enums[k] || {};
      });
      return rt;
    }
    Object.defineProperty(rt, "id", {
      get: function () { return invalidated ? undefined : C.extId; }, enumerable: true,
    });
    rt.connect = function connect_() { return connect.apply(undefined, arguments); };
    Object.defineProperty(rt.connect, "name", { value: "connect" });
    rt.onConnect = events.onConnect;
    rt.onMessage = events.onMessage;
    rt.sendMessage = function sendMessage() {
      return sendVia("runtime.sendMessage", arguments, promisesFor(ns));
    };
    if (C.kind !== "content_script") {
      rt.onConnectExternal = events.onConnectExternal;
      rt.onMessageExternal = events.onMessageExternal;
      rt.onInstalled = events.onInstalled;
      rt.onStartup = events.onStartup;
      rt.onSuspend = events.onSuspend;
    }
    if (C.nativeMessaging && (C.kind !== "content_script" || !chromeFamily)) {
      // [N §0] only with the permission; Chrome content scripts lack them, Firefox's have
      // them but they fail
      rt.connectNative = function connectNative(application) {
        checkValid();
        var r = G.__wxHost_connectNative(describeArgs(arguments));
        return makePort(r[0], r[1], r[2], null);
      };
      rt.sendNativeMessage = function sendNativeMessage(application, message, callback) {
        checkValid();
        var args = Array.prototype.slice.call(arguments);
        var cb = typeof args[args.length - 1] === "function" ? args.pop() : null;
        var payload = chromeFamily ? S.encodeChrome(args[1]) : S.encodeFirefox(args[1]);
        var id = G.__wxHost_sendNative(describeArgs(args), payload);
        var entry = { callback: cb };
        var promise;
        // Firefox's chrome.* returns undefined without a callback [SEMANTICS §7]
        if (cb === null && (ns === "browser" || (chromeFamily && C.mv >= 3))) {
          promise = new Promise(function (resolve, reject) {
            entry.resolve = resolve;
            entry.reject = reject;
          });
        }
        pendingReplies.set(id, entry);
        return promise;
      };
    }
    rt.getURL = function getURL(path) {
      checkValid();
      return C.baseUrl + String(path).replace(/^\//, "");
    };
    if (C.kind === "background" || C.kind === "extension_page") {
      rt.reload = function reload() {
        checkValid();
        G.__wxHost_reload();
      };
    }
    rt.getManifest = function getManifest() {
      checkValid();
      return JSON.parse(JSON.stringify(C.manifest));
    };
    Object.defineProperty(rt, "lastError", { get: lastErrorGetter, enumerable: true });
    return rt;
  }

  var events = null;

  function build(ns) {
    var api = {};
    api.runtime = makeRuntime(ns);
    if (C.kind === "web_page") return api;
    if (C.kind === "background" || C.kind === "extension_page") {
      api.tabs = {
        connect: function connect() { return tabsConnect.apply(undefined, arguments); },
        sendMessage: function sendMessage() {
          return sendVia("tabs.sendMessage", arguments, promisesFor(ns));
        },
        query: function query() {
          return tabsQuery(arguments, promisesFor(ns));
        },
      };
      if (C.actionKey) {
        api[C.actionJsName] = { onClicked: events.onActionClicked };
      }
    }
    return api;
  }

  // -- host entry points -------------------------------------------------------------------
  G.__wxInit = function (config) {
    C = config;
    T = config.texts;
    chromeFamily = config.family === "chrome";
    if (PF && PF.setErrorEventPrefix) PF.setErrorEventPrefix(chromeFamily ? "Uncaught " : "");
    c150Errors = !!config.chromium150ListenerErrors;
    events = {
      onConnect: makeEvent("runtime.onConnect"),
      onConnectExternal: makeEvent("runtime.onConnectExternal"),
      onMessage: makeEvent("runtime.onMessage"),
      onMessageExternal: makeEvent("runtime.onMessageExternal"),
      onInstalled: makeEvent("runtime.onInstalled"),
      onStartup: makeEvent("runtime.onStartup"),
      onSuspend: makeEvent("runtime.onSuspend"),
      onActionClicked: makeEvent((config.actionJsName || "action") + ".onClicked"),
    };
    if (C.kind === "web_page") {
      if (chromeFamily && C.pageRuntime) {
        G.chrome = { loadTimes: function () {}, csi: function () {}, app: {}, runtime: null };
        G.chrome.runtime = build("chrome").runtime;
      } else if (chromeFamily) {
        G.chrome = { loadTimes: function () {}, csi: function () {}, app: {} };
      }
      if (C.benchmarking) benchmarking();
      return;
    }
    G.chrome = build("chrome");
    if (!chromeFamily || C.browserNamespace) {
      G.browser = chromeFamily ? G.chrome : build("browser");
    }
    if (C.benchmarking) benchmarking();
  };

  // Chromium's --enable-benchmarking (chrome/renderer/benchmarking_extension.cc): in every
  // page, chrome.benchmarking and chrome.Interval, a stopwatch reading microseconds (here the
  // virtual clock's: time that did not pass on it reads 0).
  function benchmarking() {
    if (G.chrome === undefined) G.chrome = {};
    var c = G.chrome;
    if (c.benchmarking === undefined) {
      c.benchmarking = { isSingleProcess: function isSingleProcess() { return false; } };
    }
    // (a tick count that is never 0, as base::TimeTicks is not: 0 means "not started")
    var micros = function () {
      var p = G.performance;
      return Math.round((p.timeOrigin + p.now()) * 1000);
    };
    c.Interval = function Interval() {
      var started = 0, stopped = 0;
      this.start = function () { stopped = 0; started = micros(); };
      this.stop = function () { stopped = micros(); if (started === 0) stopped = 0; };
      this.microseconds = function () {
        var end = stopped === 0 && started !== 0 ? micros() : stopped;
        return Math.ceil(end - started);
      };
    };
  }

  G.__wxHasConnectListeners = function (external) {
    return (external ? events.onConnectExternal : events.onConnect).__listeners.length > 0;
  };

  // a sender property the browser reports as present-but-undefined arrives as this marker
  var UNDEF = "\u0000undefined\u0000";
  function revive(v) {
    if (v === UNDEF) return undefined;
    if (v !== null && typeof v === "object") {
      Object.keys(v).forEach(function (k) { v[k] = revive(v[k]); });
    }
    return v;
  }

  G.__wxOnConnect = function (ch, end, name, sender, external) {
    var port = makePort(ch, end, name, revive(sender));
    // every onConnect listener of the context gets the same Port [C150 shapes][F153 multi]
    fire(external ? events.onConnectExternal : events.onConnect, [port]);
  };

  G.__wxOnMessage = function (ch, end, payload) {
    var st = ports.get(ch + ":" + end);
    if (st === undefined || st.closed) return;
    var message = chromeFamily ? JSON.parse(payload) : S.decodeFirefox(payload);
    var listeners = st.listeners;
    if (listeners === undefined) listeners = st.listeners = st.onMessage.__listeners;
    if (listeners.length !== 1) {
      fire(st.onMessage, [message, st.port]);
      return;
    }
    // one listener (the usual case): what fire() does, without its copies
    try {
      listeners[0](message, st.port);
    } catch (e) {
      report(e);
    }
  };

  G.__wxOnDisconnect = function (ch, end, error) {
    var key = ch + ":" + end;
    var st = ports.get(key);
    if (st === undefined || st.closed) return;
    st.closed = true;
    ports.delete(key);
    if (error !== null && chromeFamily) {
      // Chrome: lastError only while the listeners run; unchecked -> console [C150 no_receiver]
      withLastError(error, function () { fire(st.onDisconnect, [st.port]); });
    } else {
      if (error !== null) st.port.error = new Error(error); // Firefox port.error [F153 a.]
      fire(st.onDisconnect, [st.port]);
    }
  };

  G.__wxHasMessageListeners = function (external) {
    return (external ? events.onMessageExternal : events.onMessage).__listeners.length > 0;
  };

  G.__wxOnActionClicked = function (tab) {
    fire(events.onActionClicked, [tab]);
  };

  G.__wxPortCount = function () { return ports.size; };

  // -- glue to platform.js (timers, document lifecycle, clicks) and evaluate() ---------------
  var PF = G.__wxPlatform;
  G.__wxFireTimer = function (id) { PF.fireTimer(id); };
  G.__wxDocumentEvent = function (type) { PF.dispatchDocumentEvent(type); };
  G.__wxSetDocument = function (doc) { PF.setDocument(doc); };
  G.__wxMakeWorker = function (module) { PF.makeWorkerGlobal(null, module); };
  G.__wxClick = function (selector) { return PF.click(selector); };
  G.__wxEvaluate = function (source, token) {
    // the engine's eval, when it has one, keeps the source for its error texts
    var value = G.__wxEval ? G.__wxEval(source) : (0, eval)(source);
    if (value !== null && (typeof value === "object" || typeof value === "function") &&
        typeof value.then === "function") {
      value.then(function (v) {
        G.__wxHost_evalDone(token, v === undefined ? null : v, null);
      }, function (e) {
        var d = e && typeof e === "object"
          ? { name: String(e.name || "Error"), message: String(e.message), stack: String(e.stack || "") }
          : { name: "", message: String(e), stack: "" };
        G.__wxHost_evalDone(token, null, d);
      });
      return { pending: true };
    }
    return { value: value === undefined ? null : value };
  };

  G.__wxOnSuspend = function () {
    fire(events.onSuspend, []);
  };

  G.__wxInvalidate = function () {
    // the extension was reloaded/uninstalled: this content script is orphaned
    invalidated = true;
  };
})();

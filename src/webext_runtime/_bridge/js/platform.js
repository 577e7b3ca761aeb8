// file: platform.js — the browser platform layer of every realm (classic script, ES2023).
//
// Loaded first into every QuickJS realm. QuickJS has no browser platform; this file provides the
// part of one that extension scripts touch. Everything stays inside one IIFE; the only globals it
// adds are the web APIs below and `__wxPlatform`.
//
// Host functions (Python callables the realm provides as globals, primitive arguments only;
// captured when this file loads, looked up again at call time if they were absent):
//   __wxHost_console(level, text)   level: log | info | warn | error | debug
//   __wxHost_setTimer(id, delayMs)  arm timer `id` on the virtual clock; the host later calls
//                                   __wxPlatform.fireTimer(id)
//   __wxHost_clearTimer(id)
//   __wxHost_now() -> ms            virtual time for performance.now() / Event.timeStamp / Date
//   optional: __wxHost_epoch() -> ms  epoch ms (Unix time) of virtual time 0, asked once, at the
//             first use of Date.now() / new Date() / performance.timeOrigin. Without it (and
//             without setEpoch) the epoch is the real clock minus the virtual time at first use.
//   optional: __wxHost_uncaught(name, message, text)  an error thrown by an event listener (text:
//             "Name: msg" + stack); without it console 'error' "Uncaught " + text.
//             __wxHost_navigate(url) for location.assign/replace/reload and location.href = ….
//
// __wxPlatform entries:
//   fireTimer(id) -> bool            run timer `id` (false if unknown/cleared). An interval re-arms
//                                    BEFORE its callback runs (as Chromium's DOMTimer::Fired), so a
//                                    throwing callback is reported (reportError) and the interval
//                                    keeps running; clearInterval inside the callback cancels it.
//   dispatchDocumentEvent(type)      'DOMContentLoaded': readyState 'interactive', readystatechange,
//                                    DOMContentLoaded at document (bubbles to window). 'load':
//                                    readyState 'complete', readystatechange, load at window
//                                    (event.target is document, as in browsers). Other types: a
//                                    plain Event at window.
//   click(selector) -> bool          trusted bubbling MouseEvent 'click' on the first match
//                                    (checkbox/radio toggle + input/change); false if no match.
//   setDocument({url, title, html})  (object or JSON string) new document: <html><head><title>
//                                    </title></head><body> + parsed html; readyState 'loading'.
//                                    A full document (<html>/<head>/<body> tags) is merged in.
//   formatConsole(args) -> string    the console text for an argument array (format below).
//   setUserAgent(ua), reportError(err), makeWorkerGlobal(url?)  see below.
//   setEpoch(ms)                     epoch ms of virtual time 0 (overrides __wxHost_epoch).
//
// Virtual Date: Date.now(), new Date() and Date() (no arguments) read the virtual clock:
// epoch + __wxHost_now(), whole milliseconds; performance.timeOrigin is the epoch, so
// performance.timeOrigin + performance.now() === Date.now() up to the fraction. Everything else
// is the engine's Date: new Date(0), Date.UTC, Date.parse, Date.prototype (shared, so
// `instanceof Date` holds for every date), subclassing (class D extends Date).
//
// Console text format (Chrome's console printed as one line of text):
//   top-level strings as-is; numbers/booleans/null/undefined as String() (-0 as "-0", bigint
//   "1n"); functions as their source; Error as its stack ("Error: msg\n    at ...", header added
//   when the engine's stack lacks it); other values as a compact preview:
//   {greeting: 'hi', n: 1}, [1, 2, 3], [1, empty × 2], Foo {x: 1}, Map(1) {'a' => 1},
//   Set(2) {1, 2}, Uint8Array(2) [1, 2], ArrayBuffer(8), /re/g, Date as toString(), nested
//   functions ƒ, nested errors "Error: msg", DOM nodes div#id.cls, accessors (...), cycles
//   [Circular]; nesting deeper than 3 levels shows {…} / Array(n); at most 100 entries per level.
//   Strings inside previews are quoted with ' (or " / ` when the text contains ').
//   With more than one argument and a leading string, %s %d %i %f %o %O %c %% are substituted
//   (%c consumes its argument and prints nothing; %d/%i truncate numbers, NaN otherwise; %s of an
//   object prints its preview); remaining arguments are appended; everything joined by ' '.
//
// Timers: ids are positive integers shared by timeouts and intervals. Delays are WebIDL `long`
// (ToInt32: NaN, negative → 0) and, as in the HTML spec, clamped to ≥ 4 ms once timers are nested
// more than 5 levels deep (so setInterval(f, 0) advances the virtual clock). A string first
// argument is NOT evaluated (browsers eval it): it returns an id and never fires.
// queueMicrotask wraps QuickJS's own (an exception in its callback is reported, as an
// uncaught error should); Promise-based fallback if missing. atob/btoa/DOMException are QuickJS's.
//
// Uncaught exceptions: a timer's or a microtask's callback, or a DOM event listener, that
// throws fires a cancelable ErrorEvent 'error' at the global first (message "Uncaught Error: x"
// in Chrome, "Error: x" in Firefox: setErrorEventPrefix); cancelled, nothing is reported. A
// promise rejected with no handler fires 'unhandledrejection' (cancelable) and, once it gets a
// handler, 'rejectionhandled' (__wxRejectionHook, called by the engine's rejection tracker).
// MessageChannel / MessagePort: structured-cloned messages, one task each, held until the
// port is started.
//
// Globals: self, window, globalThis are the same object, whose prototype chain is
// Window.prototype → EventTarget.prototype. makeWorkerGlobal(url?, module?) turns the realm into
// a worker-like global: removes window, document, the DOM constructors, makes `location` a
// WorkerLocation (of `url`, else the current document's URL) and adds importScripts(...urls):
// each URL resolved against location, then loaded and run in order by the host function
// __wxHost_importScript(href) (null when it ran; a thrown error of the script propagates;
// "failed" when there is no such script or it may not be imported: a NetworkError
// DOMException). A module worker's importScripts throws a TypeError. Texts: Blink's
// WorkerGlobalScope::importScripts, checked in Chromium 156 (scenario import_scripts).
//
// DOM: a small tree (Document, Element/HTMLElement, Text, Comment, DocumentFragment) with events
// (capture → target → bubble to document and window; at the target capture listeners first, as
// Chromium), innerHTML/outerHTML for simple markup (no scripts run), and querySelector for tag, *,
// #id, .class, [attr], [attr=v] (also ~= ^= $= *= |=), :first-child :last-child :checked
// :disabled :empty :root, combinators ' ' > + ~ and selector lists. childNodes/children/
// querySelectorAll return static arrays. style is a plain object.
(function (global) {
  "use strict";

  // file: platform.js — host access
  var HOST = {};
  ["console", "setTimer", "clearTimer", "now", "uncaught", "navigate"].forEach(function (n) {
    HOST[n] = global["__wxHost_" + n];
  });
  function host(n) {
    var f = HOST[n];
    if (typeof f !== "function") f = global["__wxHost_" + n];
    return typeof f === "function" ? f : null;
  }
  var nativePerf = global.performance;
  var nativeNow = nativePerf && typeof nativePerf.now === "function" ? nativePerf.now.bind(nativePerf) : null;
  function now() {
    var f = host("now");
    return f ? +f() : nativeNow ? nativeNow() : 0;
  }
  function def(obj, props) {
    for (var k in props) {
      Object.defineProperty(obj, k, { value: props[k], writable: true, configurable: true });
    }
  }
  function getters(proto, map) {
    for (var k in map) {
      var d = map[k];
      Object.defineProperty(proto, k, typeof d === "function"
        ? { get: d, configurable: true, enumerable: true }
        : { get: d[0], set: d[1], configurable: true, enumerable: true });
    }
  }
  function illegal() { throw new TypeError("Illegal constructor"); }
  function domError(msg, name) { return new DOMException(msg, name); }
  var toStr = Object.prototype.toString;

  // file: platform.js — console formatting
  var MAX_DEPTH = 3, MAX_ITEMS = 100;
  var IDENT = /^(?:[A-Za-z_$][\w$]*|\d+)$/;
  function quote(s) {
    var q = s.indexOf("'") < 0 ? "'" : s.indexOf('"') < 0 ? '"' : s.indexOf("`") < 0 ? "`" : "'";
    return q + s.replace(/[\\\n\r\t]/g, function (c) {
      return c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t";
    }).split(q).join("\\" + q) + q;
  }
  function numStr(n) { return Object.is(n, -0) ? "-0" : String(n); }
  function safe(f, v, dflt) { try { return f(v); } catch (e) { return dflt; } }
  function isError(v) { return v instanceof Error || toStr.call(v) === "[object Error]"; }
  function errorHeader(e) { return safe(String, e, "Error"); }
  function errorText(e) {
    if (!e || typeof e !== "object") return primitive(e);
    var h = errorHeader(e), s = safe(function (x) { return x.stack; }, e, "");
    if (typeof s !== "string" || !s) return h;
    s = s.replace(/\s+$/, "");
    return /^\s*at /.test(s) ? h + "\n" + s : s;
  }
  function primitive(v) {
    return typeof v === "number" ? numStr(v) : typeof v === "bigint" ? v + "n" : String(v);
  }
  function key(k) { return typeof k === "symbol" ? "[" + k.toString() + "]" : IDENT.test(k) ? k : quote(k); }
  function ctorName(o) {
    var p = Object.getPrototypeOf(o);
    if (p === null || p === Object.prototype) return "";
    var c = safe(function (x) { return x.constructor; }, p, null);
    return typeof c === "function" && c.name && c.name !== "Object" ? c.name : "";
  }
  function preview(v, depth, seen) {
    switch (typeof v) {
      case "string": return quote(v);
      case "function": return "ƒ";
      case "object": if (v !== null) break;
      // falls through
      default: return primitive(v);
    }
    if (seen.indexOf(v) >= 0) return "[Circular]";
    if (v instanceof Node) return nodePreview(v);
    if (isError(v)) return errorHeader(v);
    var tag = toStr.call(v).slice(8, -1), name = ctorName(v), isArr = Array.isArray(v);
    if (tag === "Date") return safe(String, v, "Invalid Date");
    if (tag === "RegExp") return safe(String, v, "/(?:)/");
    if (tag === "ArrayBuffer" || tag === "SharedArrayBuffer") return tag + "(" + v.byteLength + ")";
    if (tag === "Number" || tag === "String" || tag === "Boolean") {
      return tag + " {" + preview(v.valueOf(), depth + 1, seen) + "}";
    }
    var isTyped = ArrayBuffer.isView(v) && !(v instanceof DataView);
    var mapLike = tag === "Map" ? 2 : tag === "Set" ? 1 : 0;
    if (depth >= MAX_DEPTH) {
      return isArr ? "Array(" + v.length + ")" : isTyped ? name + "(" + v.length + ")" : "{…}";
    }
    seen.push(v);
    var parts = [], n = 0, prefix = name;
    try {
      if (isArr || isTyped) {
        var holes = 0;
        var flush = function () {
          if (holes) parts.push(holes > 1 ? "empty × " + holes : "empty");
          holes = 0;
        };
        for (var i = 0; i < v.length && parts.length < MAX_ITEMS; i++) {
          if (!isTyped && !Object.prototype.hasOwnProperty.call(v, i)) { holes++; continue; }
          flush();
          parts.push(preview(v[i], depth + 1, seen));
        }
        flush();
        if (i < v.length) parts.push("… " + (v.length - i) + " more");
        prefix = isTyped ? name + "(" + v.length + ") " : name && name !== "Array" ? name + " " : "";
      } else if (mapLike) {
        v.forEach(function (val, k) {
          if (n++ < MAX_ITEMS) {
            parts.push(mapLike === 2 ? preview(k, depth + 1, seen) + " => " + preview(val, depth + 1, seen)
              : preview(val, depth + 1, seen));
          }
        });
        prefix = (name || tag) + "(" + v.size + ") ";
      } else if (prefix) {
        prefix += " ";
      }
      if (!isTyped) {
        var keys = Reflect.ownKeys(v);
        for (var j = 0; j < keys.length && parts.length < MAX_ITEMS; j++) {
          var k = keys[j];
          if (isArr && (k === "length" || (typeof k === "string" && /^\d+$/.test(k)))) continue;
          var d = Object.getOwnPropertyDescriptor(v, k);
          if (!d || !d.enumerable) continue;
          parts.push(key(k) + ": " + ("value" in d ? preview(d.value, depth + 1, seen) : "(...)"));
        }
      }
    } catch (e) {
      parts.push("…");
    }
    seen.pop();
    var open = isArr || isTyped ? "[" : "{", close = isArr || isTyped ? "]" : "}";
    return prefix + open + parts.join(", ") + close;
  }
  function topLevel(v) {
    if (typeof v === "string") return v;
    if (typeof v === "function") return safe(String, v, "ƒ");
    if (v && typeof v === "object" && isError(v)) return errorText(v);
    return preview(v, 0, []);
  }
  function formatConsole(args) {
    args = Array.prototype.slice.call(args);
    var out = [], i = 0;
    if (typeof args[0] === "string" && args.length > 1) {
      i = 1;
      out.push(args[0].replace(/%([sdifoOc%])/g, function (m, c) {
        if (c === "%") return "%";
        if (i >= args.length) return m;
        var v = args[i++];
        switch (c) {
          case "s": return typeof v === "string" ? v : typeof v === "object" && v !== null ? preview(v, 1, [])
            : typeof v === "symbol" ? v.toString() : primitive(v);
          case "d": case "i":
            return typeof v === "number" ? String(Math.trunc(v)) : typeof v === "bigint" ? v + "n" : "NaN";
          case "f": return typeof v === "number" ? numStr(v) : "NaN";
          case "c": return "";
          default: return isError(v) ? errorText(v) : preview(v, 0, []);
        }
      }));
    }
    for (; i < args.length; i++) out.push(topLevel(args[i]));
    return out.join(" ");
  }
  function emit(level, text) {
    var f = host("console");
    if (f) f(level, text);
  }
  var counts = new Map(), timersByLabel = new Map();
  var consoleObj = {};
  ["log", "info", "warn", "error", "debug"].forEach(function (level) {
    consoleObj[level] = function () { emit(level, formatConsole(arguments)); };
  });
  Object.assign(consoleObj, {
    dir: function (v) { emit("log", arguments.length ? topLevel(v) : ""); },
    table: function () { consoleObj.log.apply(null, arguments); },
    dirxml: function () { consoleObj.log.apply(null, arguments); },
    trace: function () {
      var s = safe(function () { return new Error().stack; }, 0, "") || "";
      var head = arguments.length ? formatConsole(arguments) : "console.trace";
      emit("log", head + (s ? "\n" + s.replace(/^.*\n/, "").replace(/\s+$/, "") : ""));
    },
    assert: function (cond) {
      if (cond) return;
      var a = Array.prototype.slice.call(arguments, 1);
      if (typeof a[0] === "string") a[0] = "Assertion failed: " + a[0];
      else a.unshift("Assertion failed" + (a.length ? ":" : ""));
      emit("error", formatConsole(a));
    },
    count: function (label) {
      label = label === undefined ? "default" : String(label);
      var c = (counts.get(label) || 0) + 1;
      counts.set(label, c);
      emit("info", label + ": " + c);
    },
    countReset: function (label) { counts.delete(label === undefined ? "default" : String(label)); },
    time: function (label) { timersByLabel.set(label === undefined ? "default" : String(label), now()); },
    timeLog: function (label) {
      label = label === undefined ? "default" : String(label);
      if (!timersByLabel.has(label)) return emit("warn", "Timer '" + label + "' does not exist");
      var rest = Array.prototype.slice.call(arguments, 1).map(topLevel);
      emit("info", [label + ": " + (now() - timersByLabel.get(label)) + " ms"].concat(rest).join(" "));
    },
    timeEnd: function (label) {
      consoleObj.timeLog(label);
      timersByLabel.delete(label === undefined ? "default" : String(label));
    },
    group: function () { if (arguments.length) consoleObj.log.apply(null, arguments); },
    groupEnd: function () {},
    clear: function () {},
  });
  consoleObj.groupCollapsed = consoleObj.group;

  // file: platform.js — timers on the virtual clock
  var timers = new Map(), nextTimerId = 1, nestingLevel = 0;
  function clampDelay(d, level) {
    d = d | 0;
    if (d < 0) d = 0;
    return level > 5 && d < 4 ? 4 : d;
  }
  function addTimer(fn, delay, args, repeat) {
    var id = nextTimerId++;
    if (typeof fn !== "function") return id;
    var t = { fn: fn, args: args, repeat: repeat, delay: delay, level: nestingLevel + 1 };
    timers.set(id, t);
    host("setTimer")(id, clampDelay(delay, nestingLevel));
    return id;
  }
  function clearTimer(id) {
    id = Number(id);
    if (timers.delete(id)) {
      var f = host("clearTimer");
      if (f) f(id);
    }
  }
  function fireTimer(id) {
    var t = timers.get(id);
    if (!t) return false;
    if (t.repeat) {
      host("setTimer")(id, clampDelay(t.delay, t.level));
    } else {
      timers.delete(id);
    }
    var saved = nestingLevel;
    nestingLevel = t.level;
    if (t.repeat) t.level++;
    try {
      t.fn.apply(global, t.args);
    } catch (e) {
      reportUncaught(e);
    } finally {
      nestingLevel = saved;
    }
    return true;
  }
  // An exception no script caught in a callback the platform ran (timer, microtask): the
  // global's ErrorEvent; unless a listener cancelled it, it goes on to the host as the
  // uncaught exception it is. Running out of memory is not the script's exception (the realm
  // is stopped): it propagates untouched. (The time limit's interrupt cannot be caught.)
  function reportUncaught(e) {
    if (e instanceof InternalErrorCtor && e.message === "out of memory") throw e;
    if (!reporting && !fireErrorEvent(e)) return;
    throw e;
  }
  var InternalErrorCtor = typeof InternalError === "function" ? InternalError : function () {};

  // file: platform.js — virtual Date
  var NativeDate = global.Date, epoch = null;
  function epochMs() {
    if (epoch === null) {
      var f = host("epoch");
      epoch = f ? +f() : NativeDate.now() - now();
      if (!isFinite(epoch)) epoch = 0;
    }
    return epoch;
  }
  function virtualNow() { return Math.floor(epochMs() + now()); }
  var VirtualDate = function Date(year, monthIndex, day, hours, minutes, seconds, ms) { // eslint-disable-line no-unused-vars
    if (new.target === undefined) return NativeDate.prototype.toString.call(new NativeDate(virtualNow()));
    return Reflect.construct(NativeDate, arguments.length ? arguments : [virtualNow()], new.target);
  };
  Object.defineProperty(VirtualDate, "prototype", { value: NativeDate.prototype, writable: false });
  Object.defineProperty(NativeDate.prototype, "constructor", { value: VirtualDate, writable: true, configurable: true });
  Object.getOwnPropertyNames(NativeDate).forEach(function (k) {
    if (k !== "prototype" && k !== "length" && k !== "name") {
      Object.defineProperty(VirtualDate, k, Object.getOwnPropertyDescriptor(NativeDate, k));
    }
  });
  Object.defineProperty(VirtualDate, "now", {
    value: { now: function () { return virtualNow(); } }.now, writable: true, configurable: true,
  });

  // file: platform.js — TextEncoder / TextDecoder (UTF-8)
  function utf8Encode(s) {
    s = String(s);
    var n = s.length, out = new Uint8Array(n * 3), j = 0;
    for (var i = 0; i < n; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) { out[j++] = c; continue; }
      if (c < 0x800) { out[j++] = 0xc0 | (c >> 6); out[j++] = 0x80 | (c & 63); continue; }
      if (c >= 0xd800 && c <= 0xdfff) {
        var d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          var cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out[j++] = 0xf0 | (cp >> 18); out[j++] = 0x80 | ((cp >> 12) & 63);
          out[j++] = 0x80 | ((cp >> 6) & 63); out[j++] = 0x80 | (cp & 63);
          continue;
        }
        c = 0xfffd;
      }
      out[j++] = 0xe0 | (c >> 12); out[j++] = 0x80 | ((c >> 6) & 63); out[j++] = 0x80 | (c & 63);
    }
    return out.slice(0, j);
  }
  // WHATWG UTF-8 decode (maximal subpart → U+FFFD). Returns [text, index where an unfinished
  // trailing sequence starts (bytes.length if none)].
  function utf8Decode(b, fatal, stream) {
    var units = [], chunks = [], need = 0, seen = 0, cp = 0, lo = 0x80, hi = 0xbf, start = 0;
    function push(u) {
      if (u > 0xffff) { u -= 0x10000; units.push(0xd800 + (u >> 10), 0xdc00 + (u & 1023)); } else units.push(u);
      if (units.length > 8190) { chunks.push(String.fromCharCode.apply(null, units)); units = []; }
    }
    function bad() {
      if (fatal) throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid for encoding utf-8");
      push(0xfffd);
    }
    for (var i = 0; i < b.length; i++) {
      var x = b[i];
      if (need === 0) {
        start = i;
        if (x < 0x80) push(x);
        else if (x >= 0xc2 && x <= 0xdf) { need = 1; cp = x & 31; }
        else if (x >= 0xe0 && x <= 0xef) { if (x === 0xe0) lo = 0xa0; if (x === 0xed) hi = 0x9f; need = 2; cp = x & 15; }
        else if (x >= 0xf0 && x <= 0xf4) { if (x === 0xf0) lo = 0x90; if (x === 0xf4) hi = 0x8f; need = 3; cp = x & 7; }
        else bad();
        continue;
      }
      if (x < lo || x > hi) {
        need = seen = cp = 0; lo = 0x80; hi = 0xbf;
        bad();
        i--;
        continue;
      }
      lo = 0x80; hi = 0xbf;
      cp = (cp << 6) | (x & 63);
      if (++seen === need) { push(cp); need = seen = cp = 0; }
    }
    if (need && !stream) bad();
    chunks.push(String.fromCharCode.apply(null, units));
    return [chunks.join(""), need && stream ? start : b.length];
  }
  function bytesOf(input) {
    if (input === undefined) return new Uint8Array(0);
    if (input instanceof ArrayBuffer || toStr.call(input) === "[object SharedArrayBuffer]") return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
  }
  var UTF8_LABELS = ["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"];
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input) { return utf8Encode(input === undefined ? "" : input); }
    encodeInto(src, dest) {
      src = String(src);
      var read = 0, written = 0;
      for (var ch of src) {
        var bytes = utf8Encode(ch);
        if (written + bytes.length > dest.length) break;
        dest.set(bytes, written);
        written += bytes.length;
        read += ch.length;
      }
      return { read: read, written: written };
    }
  }
  var decState = new WeakMap();
  class TextDecoder {
    constructor(label, options) {
      var l = label === undefined ? "utf-8" : String(label).trim().toLowerCase();
      if (UTF8_LABELS.indexOf(l) < 0) {
        throw new RangeError("Failed to construct 'TextDecoder': The encoding label provided ('" + label + "') is invalid.");
      }
      options = options || {};
      decState.set(this, { fatal: !!options.fatal, ignoreBOM: !!options.ignoreBOM, pending: null, started: false });
    }
    get encoding() { return "utf-8"; }
    get fatal() { return decState.get(this).fatal; }
    get ignoreBOM() { return decState.get(this).ignoreBOM; }
    decode(input, options) {
      var st = decState.get(this), b = bytesOf(input), stream = !!(options && options.stream);
      if (st.pending) {
        var joined = new Uint8Array(st.pending.length + b.length);
        joined.set(st.pending);
        joined.set(b, st.pending.length);
        b = joined;
        st.pending = null;
      }
      if (!st.started && !st.ignoreBOM) {
        if (stream && b.length < 3 && [0xef, 0xbb, 0xbf].slice(0, b.length).every(function (x, i) { return b[i] === x; })) {
          st.pending = b.slice();
          return "";
        }
        if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
      }
      st.started = stream;
      var r = utf8Decode(b, st.fatal, stream);
      if (r[1] < b.length) st.pending = b.slice(r[1]);
      return r[0];
    }
  }

  // file: platform.js — URL / URLSearchParams (WHATWG-style; no IDNA, IPv6 only lowercased)
  var DEFAULT_PORTS = { "http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21", "file": "" };
  var EXT_SCHEMES = { "chrome-extension": 1, "moz-extension": 1, "safari-web-extension": 1 };
  function isStd(s) { return s in DEFAULT_PORTS || s in EXT_SCHEMES; }
  function hex2(c) { return "%" + (c < 16 ? "0" : "") + c.toString(16).toUpperCase(); }
  function pctEncode(s, re) {
    return s.toWellFormed().replace(re, function (c) {
      return c.length === 1 && c.charCodeAt(0) < 0x80 ? hex2(c.charCodeAt(0)) : encodeURIComponent(c);
    });
  }
  var C0_SET = /[\x00-\x1f]|[^\x00-\x7e]/gu;
  var FRAG_SET = /[\x00-\x20"<>`]|[^\x00-\x7e]/gu;
  var QUERY_SET = /[\x00-\x20"#<>]|[^\x00-\x7e]/gu;
  var SQUERY_SET = /[\x00-\x20"#<>']|[^\x00-\x7e]/gu;
  var PATH_SET = /[\x00-\x20"#<>?`{}]|[^\x00-\x7e]/gu;
  var USER_SET = /[\x00-\x20"#<>?`{}/:;=@[\\\]^|]|[^\x00-\x7e]/gu;
  function pctDecodeBytes(s) {
    var b = utf8Encode(s);
    if (s.indexOf("%") < 0) return b;
    var out = new Uint8Array(b.length), j = 0;
    for (var i = 0; i < b.length; i++) {
      var h = b[i] === 0x25 && i + 2 < b.length ? String.fromCharCode(b[i + 1], b[i + 2]) : "";
      if (h && /^[0-9a-fA-F]{2}$/.test(h)) { out[j++] = parseInt(h, 16); i += 2; } else out[j++] = b[i];
    }
    return out.subarray(0, j);
  }
  function pctDecode(s) { return utf8Decode(pctDecodeBytes(s), false)[0]; }
  function parseIPv4Part(p) {
    if (p === "") return NaN;
    var r = 10;
    if (/^0[xX]/.test(p)) { p = p.slice(2); r = 16; } else if (p.length > 1 && p[0] === "0") { p = p.slice(1); r = 8; }
    if (p === "") return 0;
    var re = r === 16 ? /^[0-9a-fA-F]+$/ : r === 8 ? /^[0-7]+$/ : /^\d+$/;
    return re.test(p) ? parseInt(p, r) : NaN;
  }
  function parseHost(h, std) {
    if (h[0] === "[") {
      return /^\[[0-9a-fA-F:.]+\]$/.test(h) && h.indexOf(":") > 0 ? h.toLowerCase() : null;
    }
    if (!std) return /[\x00\t\n\r #/:<>?@[\\\]^|]/.test(h) ? null : pctEncode(h, C0_SET);
    h = pctDecode(h).toLowerCase();
    if (h === "" || /[\x00-\x20#%/:<>?@[\\\]^|\x7f]/.test(h)) return null;
    var parts = h.split(".");
    if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    var last = parts[parts.length - 1];
    if (!/^(\d+|0[xX][0-9a-fA-F]*)$/.test(last)) return h;
    if (parts.length > 4) return null;
    var nums = parts.map(parseIPv4Part), ip = 0;
    for (var i = 0; i < nums.length; i++) {
      if (isNaN(nums[i]) || (i < nums.length - 1 && nums[i] > 255)) return null;
    }
    if (nums[nums.length - 1] >= Math.pow(256, 5 - nums.length)) return null;
    for (i = 0; i < nums.length - 1; i++) ip += nums[i] * Math.pow(256, 3 - i);
    ip += nums[nums.length - 1];
    return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join(".");
  }
  function normPath(p, std) {
    if (std) p = p.replace(/\\/g, "/");
    var segs = p.split("/"), out = [];
    for (var i = 1; i < segs.length; i++) {
      var s = segs[i], last = i === segs.length - 1, l = s.toLowerCase();
      if (l === ".." || l === ".%2e" || l === "%2e." || l === "%2e%2e") {
        out.pop();
        if (last) out.push("");
      } else if (l === "." || l === "%2e") {
        if (last) out.push("");
      } else {
        out.push(pctEncode(s, PATH_SET));
      }
    }
    return "/" + out.join("/");
  }
  // A URL record: {scheme, user, pass, host (null: none), port, path, opaque, query, frag}.
  function splitTail(r, rec, std) {
    var h = r.indexOf("#");
    if (h >= 0) { rec.frag = pctEncode(r.slice(h + 1), FRAG_SET); r = r.slice(0, h); } else rec.frag = null;
    var q = r.indexOf("?");
    if (q >= 0) { rec.query = pctEncode(r.slice(q + 1), std ? SQUERY_SET : QUERY_SET); r = r.slice(0, q); } else rec.query = null;
    return r;
  }
  function parseAuthority(auth, rec, std) {
    var at = auth.lastIndexOf("@");
    if (at >= 0) {
      var ui = auth.slice(0, at), c = ui.indexOf(":");
      rec.user = pctEncode(c >= 0 ? ui.slice(0, c) : ui, USER_SET);
      rec.pass = c >= 0 ? pctEncode(ui.slice(c + 1), USER_SET) : "";
      auth = auth.slice(at + 1);
    }
    var m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(auth);
    if (!m) return false;
    if (m[2] !== undefined && m[2] !== "") {
      if (!/^\d+$/.test(m[2]) || +m[2] > 65535) return false;
      rec.port = String(+m[2]);
      if (DEFAULT_PORTS[rec.scheme] === rec.port) rec.port = "";
    }
    if (m[1] === "" && (rec.scheme === "file" || !std)) { rec.host = ""; return !rec.user && !rec.port; }
    rec.host = parseHost(m[1], std);
    return rec.host !== null;
  }
  function parseURL(input, base) {
    input = String(input).replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "").replace(/[\t\n\r]/g, "");
    var m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(input);
    var rec = { scheme: "", user: "", pass: "", host: null, port: "", path: "", opaque: false, query: null, frag: null };
    if (!m) return base ? resolve(input, base, rec) : null;
    var scheme = rec.scheme = m[1].toLowerCase(), rest = input.slice(m[0].length), std = isStd(scheme);
    if (std && scheme !== "file" && base && base.scheme === scheme && !/^[/\\]{2}/.test(rest)) {
      return resolve(rest, base, rec);
    }
    rest = splitTail(rest, rec, std);
    var slashes = scheme === "file" ? (/^[/\\]{2}/.test(rest) ? 2 : 0)
      : std ? /^[/\\]*/.exec(rest)[0].length : /^\/\//.test(rest) ? 2 : 0;
    if (slashes >= 2 || (std && scheme !== "file")) {
      rest = rest.slice(slashes);
      var end = rest.search(std ? /[/\\]/ : /\//);
      if (end < 0) end = rest.length;
      if (!parseAuthority(rest.slice(0, end), rec, std)) return null;
      rest = rest.slice(end);
      rec.path = rest || std ? normPath(rest || "/", std) : "";
    } else if (rest[0] === "/" || (std && rest[0] === "\\")) {
      if (scheme === "file") rec.host = "";
      rec.path = normPath(rest, std);
    } else if (std) {
      rec.host = "";
      rec.path = normPath("/" + rest, std);
    } else {
      rec.opaque = true;
      rec.path = pctEncode(rest, C0_SET);
    }
    return rec;
  }
  function resolve(r, base, rec) {
    var std = isStd(base.scheme);
    if (base.opaque) {
      if (r[0] !== "#") return null;
      return Object.assign({}, base, { frag: pctEncode(r.slice(1), FRAG_SET) });
    }
    if ((std ? /^[/\\]{2}/ : /^\/\//).test(r)) return parseURL(base.scheme + ":" + r, null);
    Object.assign(rec, { scheme: base.scheme, user: base.user, pass: base.pass, host: base.host, port: base.port });
    var p = splitTail(r, rec, std);
    if (p === "") {
      rec.path = base.path;
      if (r.indexOf("?") < 0 && r.indexOf("#") < 0 || r[0] === "#") rec.query = base.query;
      return rec;
    }
    if (p[0] !== "/" && !(std && p[0] === "\\")) {
      var bp = base.path;
      p = (bp.slice(0, bp.lastIndexOf("/") + 1) || "/") + p;
    }
    rec.path = normPath(p, std);
    return rec;
  }
  function serialize(rec, noFrag) {
    var s = rec.scheme + ":";
    if (rec.host !== null) {
      s += "//";
      if (rec.user || rec.pass) s += rec.user + (rec.pass ? ":" + rec.pass : "") + "@";
      s += rec.host + (rec.port ? ":" + rec.port : "");
    } else if (!rec.opaque && rec.path.slice(0, 2) === "//") {
      s += "/.";
    }
    s += rec.path;
    if (rec.query !== null) s += "?" + rec.query;
    if (rec.frag !== null && !noFrag) s += "#" + rec.frag;
    return s;
  }
  function originOf(rec) {
    if (rec.scheme === "blob") {
      var inner = parseURL(rec.path, null);
      return inner && (inner.scheme === "http" || inner.scheme === "https") ? originOf(inner) : "null";
    }
    if (rec.scheme === "file" || !isStd(rec.scheme)) return "null";
    return rec.scheme + "://" + rec.host + (rec.port ? ":" + rec.port : "");
  }
  var urlState = new WeakMap(), paramsState = new WeakMap();
  function urlRec(u) {
    var st = urlState.get(u);
    if (!st) throw new TypeError("Illegal invocation");
    return st;
  }
  function syncParams(st) {
    if (st.params) paramsState.get(st.params).list = parseForm(st.rec.query || "");
  }
  class URL {
    constructor(url, base) {
      if (arguments.length < 1) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
      var b = null;
      if (base !== undefined) {
        b = base instanceof URL ? urlRec(base).rec : parseURL(base, null);
        if (!b) throw new TypeError("Failed to construct 'URL': Invalid base URL");
      }
      var rec = parseURL(url, b);
      if (!rec) throw new TypeError("Failed to construct 'URL': Invalid URL");
      urlState.set(this, { rec: rec, params: null });
    }
    static canParse(url, base) { try { new URL(url, base); return true; } catch (e) { return false; } }
    static parse(url, base) { try { return new URL(url, base); } catch (e) { return null; } }
    toString() { return serialize(urlRec(this).rec); }
    toJSON() { return serialize(urlRec(this).rec); }
  }
  function urlSetter(fn) {
    return function (v) {
      var st = urlRec(this);
      fn(st.rec, String(v), st);
      syncParams(st);
    };
  }
  getters(URL.prototype, {
    href: [function () { return serialize(urlRec(this).rec); }, urlSetter(function (rec, v, st) {
      var r = parseURL(v, null);
      if (!r) throw new TypeError("Failed to set the 'href' property on 'URL': Invalid URL '" + v + "'.");
      st.rec = r;
    })],
    origin: function () { return originOf(urlRec(this).rec); },
    protocol: [function () { return urlRec(this).rec.scheme + ":"; }, urlSetter(function (rec, v) {
      var m = /^([a-zA-Z][a-zA-Z0-9+.-]*)(:|$)/.exec(v);
      if (!m) return;
      var s = m[1].toLowerCase();
      if (isStd(s) !== isStd(rec.scheme) || (s === "file" && (rec.user || rec.pass || rec.port))) return;
      rec.scheme = s;
      if (DEFAULT_PORTS[s] === rec.port) rec.port = "";
    })],
    username: [function () { return urlRec(this).rec.user; }, urlSetter(function (rec, v) {
      if (rec.host && rec.scheme !== "file") rec.user = pctEncode(v, USER_SET);
    })],
    password: [function () { return urlRec(this).rec.pass; }, urlSetter(function (rec, v) {
      if (rec.host && rec.scheme !== "file") rec.pass = pctEncode(v, USER_SET);
    })],
    host: [function () {
      var r = urlRec(this).rec;
      return r.host === null ? "" : r.host + (r.port ? ":" + r.port : "");
    }, urlSetter(function (rec, v) {
      if (rec.opaque) return;
      var tmp = { scheme: rec.scheme, user: "", pass: "", port: rec.port, host: null };
      var end = v.search(isStd(rec.scheme) ? /[/\\?#]/ : /[/?#]/);
      if (parseAuthority(end < 0 ? v : v.slice(0, end), tmp, isStd(rec.scheme)) && !tmp.user) {
        rec.host = tmp.host;
        rec.port = tmp.port;
      }
    })],
    hostname: [function () { var h = urlRec(this).rec.host; return h === null ? "" : h; }, urlSetter(function (rec, v) {
      if (rec.opaque) return;
      var h = parseHost(v.split(/[:/?#]/)[0], isStd(rec.scheme));
      if (h !== null && (h !== "" || !isStd(rec.scheme) || rec.scheme === "file")) rec.host = h;
    })],
    port: [function () { return urlRec(this).rec.port; }, urlSetter(function (rec, v) {
      if (rec.host === null || rec.host === "" || rec.scheme === "file") return;
      var d = /^\d*/.exec(v)[0];
      if (v === "") rec.port = "";
      else if (d && +d <= 65535) rec.port = DEFAULT_PORTS[rec.scheme] === String(+d) ? "" : String(+d);
    })],
    pathname: [function () { return urlRec(this).rec.path; }, urlSetter(function (rec, v) {
      if (rec.opaque) return;
      var std = isStd(rec.scheme);
      rec.path = v === "" && !std ? "" : normPath(v[0] === "/" || (std && v[0] === "\\") ? v : "/" + v, std);
    })],
    search: [function () { var q = urlRec(this).rec.query; return q ? "?" + q : ""; }, urlSetter(function (rec, v) {
      if (v[0] === "?") v = v.slice(1);
      rec.query = v === "" ? null : pctEncode(v, isStd(rec.scheme) ? SQUERY_SET : QUERY_SET);
    })],
    hash: [function () { var f = urlRec(this).rec.frag; return f ? "#" + f : ""; }, urlSetter(function (rec, v) {
      if (v[0] === "#") v = v.slice(1);
      rec.frag = v === "" ? null : pctEncode(v, FRAG_SET);
    })],
    searchParams: function () {
      var st = urlRec(this);
      if (!st.params) {
        st.params = new URLSearchParams(st.rec.query || "");
        paramsState.get(st.params).url = st;
      }
      return st.params;
    },
  });
  function formEncode(s) {
    return encodeURIComponent(String(s).toWellFormed()).replace(/[!'()~]/g, function (c) {
      return hex2(c.charCodeAt(0));
    }).replace(/%20/g, "+");
  }
  function parseForm(s) {
    var list = [];
    s.split("&").forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("="), n = eq >= 0 ? part.slice(0, eq) : part, v = eq >= 0 ? part.slice(eq + 1) : "";
      list.push([pctDecode(n.replace(/\+/g, " ")), pctDecode(v.replace(/\+/g, " "))]);
    });
    return list;
  }
  function paramsList(p) {
    var st = paramsState.get(p);
    if (!st) throw new TypeError("Illegal invocation");
    return st;
  }
  function paramsUpdate(st) {
    if (!st.url) return;
    var s = serializeForm(st.list);
    st.url.rec.query = s === "" ? null : s;
  }
  function serializeForm(list) {
    return list.map(function (kv) { return formEncode(kv[0]) + "=" + formEncode(kv[1]); }).join("&");
  }
  class URLSearchParams {
    constructor(init) {
      var list = [];
      if (init instanceof URLSearchParams) {
        list = paramsList(init).list.map(function (kv) { return kv.slice(); });
      } else if (init !== null && typeof init === "object" || typeof init === "function") {
        if (typeof init[Symbol.iterator] === "function") {
          for (var pair of init) {
            pair = Array.from(pair);
            if (pair.length !== 2) {
              throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
            }
            list.push([String(pair[0]), String(pair[1])]);
          }
        } else {
          Object.keys(init).forEach(function (k) { list.push([k, String(init[k])]); });
        }
      } else if (init !== undefined) {
        var s = String(init);
        list = parseForm(s[0] === "?" ? s.slice(1) : s);
      }
      paramsState.set(this, { list: list, url: null });
    }
    get size() { return paramsList(this).list.length; }
    append(n, v) { var st = paramsList(this); st.list.push([String(n), String(v)]); paramsUpdate(st); }
    delete(n, v) {
      var st = paramsList(this);
      n = String(n);
      st.list = st.list.filter(function (kv) { return kv[0] !== n || (v !== undefined && kv[1] !== String(v)); });
      paramsUpdate(st);
    }
    get(n) {
      n = String(n);
      var kv = paramsList(this).list.find(function (x) { return x[0] === n; });
      return kv ? kv[1] : null;
    }
    getAll(n) {
      n = String(n);
      return paramsList(this).list.filter(function (x) { return x[0] === n; }).map(function (x) { return x[1]; });
    }
    has(n, v) {
      n = String(n);
      return paramsList(this).list.some(function (x) { return x[0] === n && (v === undefined || x[1] === String(v)); });
    }
    set(n, v) {
      var st = paramsList(this), found = false;
      n = String(n);
      v = String(v);
      st.list = st.list.filter(function (kv) {
        if (kv[0] !== n) return true;
        if (found) return false;
        found = true;
        kv[1] = v;
        return true;
      });
      if (!found) st.list.push([n, v]);
      paramsUpdate(st);
    }
    sort() {
      var st = paramsList(this);
      st.list = st.list.map(function (kv, i) { return [kv, i]; }).sort(function (a, b) {
        return a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1];
      }).map(function (x) { return x[0]; });
      paramsUpdate(st);
    }
    forEach(cb, thisArg) {
      var list = paramsList(this).list;
      for (var i = 0; i < list.length; i++) cb.call(thisArg, list[i][1], list[i][0], this);
    }
    *entries() { var list = paramsList(this).list; for (var i = 0; i < list.length; i++) yield list[i].slice(); }
    *keys() { for (var kv of this.entries()) yield kv[0]; }
    *values() { for (var kv of this.entries()) yield kv[1]; }
    toString() { return serializeForm(paramsList(this).list); }
  }
  URLSearchParams.prototype[Symbol.iterator] = URLSearchParams.prototype.entries;

  // file: platform.js — events
  var evState = new WeakMap(), listeners = new WeakMap();
  function es(e) {
    var st = evState.get(e);
    if (!st) throw new TypeError("Illegal invocation");
    return st;
  }
  class Event {
    constructor(type, init) {
      if (arguments.length < 1) {
        throw new TypeError("Failed to construct '" + new.target.name + "': 1 argument required, but only 0 present.");
      }
      init = init || {};
      evState.set(this, {
        type: String(type), bubbles: !!init.bubbles, cancelable: !!init.cancelable, composed: !!init.composed,
        trusted: false, target: null, current: null, phase: 0, stop: false, stopNow: false, canceled: false,
        passive: false, dispatching: false, path: [], time: now(), init: init,
      });
      Object.defineProperty(this, "isTrusted", { get: isTrusted, enumerable: true });
    }
    composedPath() { var st = es(this); return st.dispatching ? st.path.slice() : []; }
    stopPropagation() { es(this).stop = true; }
    stopImmediatePropagation() { var st = es(this); st.stop = st.stopNow = true; }
    preventDefault() { var st = es(this); if (st.cancelable && !st.passive) st.canceled = true; }
  }
  function isTrusted() { return es(this).trusted; }
  getters(Event.prototype, {
    type: function () { return es(this).type; },
    target: function () { return es(this).target; },
    srcElement: function () { return es(this).target; },
    currentTarget: function () { return es(this).current; },
    eventPhase: function () { return es(this).phase; },
    bubbles: function () { return es(this).bubbles; },
    cancelable: function () { return es(this).cancelable; },
    composed: function () { return es(this).composed; },
    defaultPrevented: function () { return es(this).canceled; },
    timeStamp: function () { return es(this).time; },
    returnValue: [function () { return !es(this).canceled; }, function (v) { if (!v) this.preventDefault(); }],
    cancelBubble: [function () { return es(this).stop; }, function (v) { if (v) es(this).stop = true; }],
  });
  ["NONE", "CAPTURING_PHASE", "AT_TARGET", "BUBBLING_PHASE"].forEach(function (n, i) {
    Object.defineProperty(Event, n, { value: i });
    Object.defineProperty(Event.prototype, n, { value: i });
  });
  // Event subclasses whose extra init members are read-only attributes with defaults.
  function eventClass(name, Parent, defaults) {
    var C = {
      [name]: class extends Parent {
        constructor(type, init) {
          super(...arguments);
          var st = es(this), i = init || {};
          for (var k in defaults) st[k] = i[k] === undefined ? defaults[k] : i[k];
        }
      },
    }[name];
    for (var k in defaults) {
      (function (k) { getters(C.prototype, { [k]: function () { return es(this)[k]; } }); })(k);
    }
    return C;
  }
  var CustomEvent = eventClass("CustomEvent", Event, { detail: null });
  var MouseEvent = eventClass("MouseEvent", Event, {
    detail: 0, view: null, button: 0, buttons: 0, clientX: 0, clientY: 0, screenX: 0, screenY: 0,
    ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, relatedTarget: null,
  });
  var KeyboardEvent = eventClass("KeyboardEvent", Event, {
    key: "", code: "", location: 0, repeat: false, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false,
  });
  var ErrorEvent = eventClass("ErrorEvent", Event, { message: "", filename: "", lineno: 0, colno: 0, error: undefined });
  var MessageEvent = eventClass("MessageEvent", Event, { data: null, origin: "", lastEventId: "", source: null, ports: [] });
  var PromiseRejectionEvent = eventClass("PromiseRejectionEvent", Event, { promise: undefined, reason: undefined });

  function listenerMap(t, create) {
    var m = listeners.get(t);
    if (!m && create) listeners.set(t, (m = new Map()));
    return m;
  }
  function flatten(options) {
    return typeof options === "boolean" ? { capture: options } : options && typeof options === "object" ? options : {};
  }
  class EventTarget {
    addEventListener(type, callback, options) {
      var self = this == null ? global : this;
      if (callback == null) return;
      if (typeof callback !== "function" && typeof callback !== "object") {
        throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': parameter 2 is not of type 'Object'.");
      }
      var o = flatten(options), capture = !!o.capture, signal = o.signal;
      if (signal && signal.aborted) return;
      type = String(type);
      var m = listenerMap(self, true), list = m.get(type);
      if (!list) m.set(type, (list = []));
      for (var i = 0; i < list.length; i++) if (list[i].cb === callback && list[i].capture === capture) return;
      list.push({ cb: callback, capture: capture, once: !!o.once, passive: !!o.passive, removed: false });
      if (signal) {
        signal.addEventListener("abort", function () { self.removeEventListener(type, callback, capture); });
      }
    }
    removeEventListener(type, callback, options) {
      var self = this == null ? global : this;
      var m = listenerMap(self, false), list = m && m.get(String(type)), capture = !!flatten(options).capture;
      if (!list) return;
      for (var i = 0; i < list.length; i++) {
        if (list[i].cb === callback && list[i].capture === capture) {
          list[i].removed = true;
          list.splice(i, 1);
          return;
        }
      }
    }
    dispatchEvent(event) {
      var self = this == null ? global : this;
      if (!(event instanceof Event)) {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      }
      var st = es(event);
      if (st.dispatching) {
        throw domError("Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.", "InvalidStateError");
      }
      st.trusted = false;
      return dispatch(self, event);
    }
  }
  // The propagation path: a node's ancestors, then its document's window (document only when the
  // node is in the current document; a detached subtree stops at its root).
  function eventPath(t) {
    var path = [t];
    if (t instanceof Node) {
      for (var p = t[N].parent; p; p = p[N].parent) path.push(p);
      var root = path[path.length - 1];
      if (root instanceof Document && root === currentDoc && "window" in global) path.push(global);
    }
    return path;
  }
  function dispatch(target, event, path) {
    var st = es(event);
    path = path || eventPath(target);
    st.target = target;
    st.path = path;
    st.dispatching = true;
    try {
      for (var i = path.length - 1; i > 0 && !st.stop; i--) invoke(path[i], event, st, 1);
      if (!st.stop) invoke(path[0], event, st, 2, true);
      if (!st.stop) invoke(path[0], event, st, 2, false);
      for (i = 1; i < path.length && st.bubbles && !st.stop; i++) invoke(path[i], event, st, 3);
    } finally {
      st.dispatching = st.stop = st.stopNow = false;
      st.phase = 0;
      st.current = null;
    }
    return !st.canceled;
  }
  function invoke(t, event, st, phase, captureAtTarget) {
    var m = listeners.get(t), list = m && m.get(st.type);
    st.phase = phase;
    st.current = t;
    if (!list || !list.length) return;
    var want = phase === 1 ? true : phase === 3 ? false : captureAtTarget;
    list = list.slice();
    for (var i = 0; i < list.length; i++) {
      var l = list[i];
      if (l.removed || l.capture !== want) continue;
      if (l.once) {
        var live = m.get(st.type), at = live.indexOf(l);
        if (at >= 0) live.splice(at, 1);
        l.removed = true;
      }
      st.passive = l.passive;
      try {
        if (typeof l.cb === "function") l.cb.call(t, event);
        else if (typeof l.cb.handleEvent === "function") l.cb.handleEvent(event);
      } catch (e) {
        reportError(e);
      }
      st.passive = false;
      if (st.stopNow) return;
    }
  }
  // Uncaught errors from listeners: an ErrorEvent at the global (window.onerror / 'error'
  // listeners may cancel it), then the host (or console.error "Uncaught ...").
  var reporting = false;
  // ErrorEvent.message: Chrome "Uncaught Error: x", Firefox "Error: x" [conformance
  // uncaught_error_event]; set by the runtime per profile (setErrorEventPrefix)
  var errorEventPrefix = "Uncaught ";
  // the global's cancelable ErrorEvent for `e`; false when a listener cancelled it
  function fireErrorEvent(e) {
    reporting = true;
    try {
      var ev = new ErrorEvent("error", { cancelable: true, error: e, message: errorEventPrefix + errorHeader(e) });
      es(ev).trusted = true;
      return dispatch(global, ev, [global]);
    } finally {
      reporting = false;
    }
  }
  function reportError(e) {
    if (!reporting && !fireErrorEvent(e)) return;
    var f = host("scriptError") || host("uncaught"), obj = e !== null && typeof e === "object";
    if (f) f(obj && e.name ? String(e.name) : "", obj && "message" in e ? String(e.message) : primitive(e), errorText(e));
    else emit("error", "Uncaught " + errorText(e));
  }
  // on<event> handler properties: a listener registered at the first assignment.
  var handlerState = new WeakMap();
  function defineHandlers(proto, names) {
    names.split(" ").forEach(function (t) {
      getters(proto, {
        ["on" + t]: [function () {
          var h = handlerState.get(this == null ? global : this);
          return (h && h[t]) || null;
        }, function (fn) {
          var self = this == null ? global : this, h = handlerState.get(self);
          if (!h) handlerState.set(self, (h = {}));
          if (!(t in h)) {
            self.addEventListener(t, function (e) {
              var f = h[t];
              if (typeof f !== "function") return;
              var special = t === "error" && e instanceof ErrorEvent && self === global;
              var r = special ? f.call(self, e.message, e.filename, e.lineno, e.colno, e.error) : f.call(self, e);
              if (special ? r === true : r === false) e.preventDefault();
            });
          }
          h[t] = typeof fn === "function" ? fn : null;
        }],
      });
    });
  }
  var COMMON_HANDLERS = "abort blur change click error focus input keydown keyup load message submit";

  // Unhandled rejections (HTML "notify about rejected promises"): the engine's rejection
  // tracker calls this once its job queue is empty. "unhandled": a cancelable
  // PromiseRejectionEvent 'unhandledrejection' at the global; cancelled, the browser logs
  // nothing (returns true). "handled": a rejection reported before got a handler:
  // 'rejectionhandled'.
  Object.defineProperty(global, "__wxRejectionHook", {
    value: function (kind, promise, reason) {
      var type = kind === "handled" ? "rejectionhandled" : "unhandledrejection";
      var ev = new PromiseRejectionEvent(type, { cancelable: kind !== "handled", promise: promise, reason: reason });
      es(ev).trusted = true;
      dispatch(global, ev, [global]);
      return ev.defaultPrevented;
    },
  });

  // MessageChannel / MessagePort (HTML "channel messaging"): postMessage structured-clones the
  // message and queues a task on the other port; a port delivers nothing until it is started
  // (start(), or setting onmessage); close() disentangles both. Transfer lists are accepted and
  // ignored except for ports, which are handed over in `ports`.
  var portState = new WeakMap();
  var makingPort = false;
  class MessagePort extends EventTarget {
    constructor() {
      if (!makingPort) illegal();
      super();
      portState.set(this, { other: null, started: false, closed: false, queue: [] });
    }
    postMessage(message, transfer) {
      var st = portState.get(this);
      if (!st) throw new TypeError("Illegal invocation");
      if (arguments.length === 0) {
        throw new TypeError("Failed to execute 'postMessage' on 'MessagePort': 1 argument required, but only 0 present.");
      }
      var list = Array.isArray(transfer) ? transfer : transfer && Array.isArray(transfer.transfer) ? transfer.transfer : [];
      var data = global.structuredClone ? global.structuredClone(message) : message;
      var other = st.other;
      if (st.closed || !other) return;
      var ports = list.filter(function (p) { return p instanceof MessagePort; });
      var ost = portState.get(other);
      ost.queue.push({ data: data, ports: ports });
      if (ost.started) pumpPort(other);
    }
    start() {
      var st = portState.get(this);
      if (!st) throw new TypeError("Illegal invocation");
      if (st.started) return;
      st.started = true;
      if (st.queue.length) pumpPort(this);
    }
    close() {
      var st = portState.get(this);
      if (!st) throw new TypeError("Illegal invocation");
      st.closed = true;
      st.queue.length = 0;
      if (st.other) {
        var ost = portState.get(st.other);
        ost.other = null;
        st.other = null;
      }
    }
  }
  defineHandlers(MessagePort.prototype, "message messageerror");
  (function () {
    var desc = Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage");
    Object.defineProperty(MessagePort.prototype, "onmessage", {
      get: desc.get,
      set: function (fn) { desc.set.call(this, fn); this.start(); },
      enumerable: true, configurable: true,
    });
  })();
  // one task per message, as the port message queue does
  function pumpPort(port) {
    addTimer(function () {
      var st = portState.get(port);
      if (!st || st.closed || !st.queue.length) return;
      var m = st.queue.shift();
      var ev = new MessageEvent("message", { data: m.data, ports: m.ports });
      es(ev).trusted = true;
      dispatch(port, ev, [port]);
      if (st.queue.length) pumpPort(port);
    }, 0, [], false);
  }
  class MessageChannel {
    constructor() {
      makingPort = true;
      var a, b;
      try { a = new MessagePort(); b = new MessagePort(); } finally { makingPort = false; }
      portState.get(a).other = b;
      portState.get(b).other = a;
      Object.defineProperty(this, "port1", { value: a, enumerable: true });
      Object.defineProperty(this, "port2", { value: b, enumerable: true });
    }
  }

  // AbortController / AbortSignal
  var signalState = new WeakMap();
  class AbortSignal extends EventTarget {
    constructor() { super(); illegal(); }
    get aborted() { return signalState.get(this).aborted; }
    get reason() { return signalState.get(this).reason; }
    throwIfAborted() { var s = signalState.get(this); if (s.aborted) throw s.reason; }
    static abort(reason) { var s = newSignal(); abortSignal(s, reason); return s; }
    static timeout(ms) {
      var s = newSignal();
      setTimeout(function () { abortSignal(s, domError("signal timed out", "TimeoutError")); }, ms);
      return s;
    }
    static any(signals) {
      var s = newSignal();
      for (var x of signals) {
        if (x.aborted) { abortSignal(s, x.reason); break; }
        x.addEventListener("abort", function () { abortSignal(s, this.reason); });
      }
      return s;
    }
  }
  defineHandlers(AbortSignal.prototype, "abort");
  function newSignal() {
    var s = Object.create(AbortSignal.prototype);
    signalState.set(s, { aborted: false, reason: undefined });
    return s;
  }
  function abortSignal(s, reason) {
    var st = signalState.get(s);
    if (st.aborted) return;
    st.aborted = true;
    st.reason = reason === undefined ? domError("signal is aborted without reason", "AbortError") : reason;
    var ev = new Event("abort");
    es(ev).trusted = true;
    dispatch(s, ev);
  }
  class AbortController {
    constructor() { Object.defineProperty(this, "_s", { value: newSignal() }); }
    get signal() { return this._s; }
    abort(reason) { abortSignal(this._s, reason); }
  }

  // file: platform.js — DOM nodes
  var N = Symbol("node");
  var VOID = /^(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)$/;
  var RAW = /^(script|style|textarea|title)$/;
  function rec(n) {
    var r = n && n[N];
    if (!r) throw new TypeError("Illegal invocation");
    return r;
  }
  function mkNode(proto, type, doc, extra) {
    var n = Object.create(proto);
    n[N] = Object.assign({ type: type, doc: doc, parent: null, kids: [] }, extra);
    return n;
  }
  function mkElement(doc, tag) {
    return mkNode(HTMLElement.prototype, 1, doc, { tag: String(tag).toLowerCase(), attrs: new Map(), style: null, cl: null });
  }
  function mkText(doc, data, type) {
    return mkNode(type === 8 ? Comment.prototype : Text.prototype, type || 3, doc, { data: String(data) });
  }
  function adopt(n, doc) {
    var r = n[N];
    if (r.doc === doc) return;
    r.doc = doc;
    r.kids.forEach(function (k) { adopt(k, doc); });
  }
  function insert(parent, node, ref, method) {
    var pr = rec(parent);
    if (!(node instanceof Node)) {
      throw new TypeError("Failed to execute '" + method + "' on 'Node': parameter 1 is not of type 'Node'.");
    }
    if (ref != null && ref[N].parent !== parent) {
      throw domError("Failed to execute '" + method + "' on 'Node': The node before which the new node is to be inserted is not a child of this node.", "NotFoundError");
    }
    for (var p = parent; p; p = p[N].parent) {
      if (p === node || node instanceof Document) {
        throw domError("Failed to execute '" + method + "' on 'Node': The new child element contains the parent.", "HierarchyRequestError");
      }
    }
    var nodes = node[N].type === 11 ? node[N].kids.slice() : [node];
    nodes.forEach(function (n) {
      if (n === ref) return;
      detach(n);
      var at = ref == null ? pr.kids.length : pr.kids.indexOf(ref);
      pr.kids.splice(at, 0, n);
      n[N].parent = parent;
      adopt(n, pr.type === 9 ? parent : pr.doc);
    });
    return node;
  }
  function detach(n) {
    var r = n[N], p = r.parent;
    if (!p) return;
    var kids = p[N].kids;
    kids.splice(kids.indexOf(n), 1);
    r.parent = null;
  }
  function toNodes(parent, args) {
    var doc = parent[N].type === 9 ? parent : parent[N].doc;
    return Array.prototype.map.call(args, function (a) { return a instanceof Node ? a : mkText(doc, a); });
  }
  function textOf(n, inner) {
    var r = n[N];
    if (r.type === 3) return r.data;
    if (r.type === 8) return "";
    if (inner && r.type === 1) {
      if (r.tag === "br") return "\n";
      if (r.tag === "script" || r.tag === "style") return "";
    }
    return r.kids.map(function (k) { return textOf(k, inner); }).join("");
  }
  function elementKids(n) { return rec(n).kids.filter(function (k) { return k[N].type === 1; }); }
  function sibling(n, d, elem) {
    var p = rec(n).parent;
    if (!p) return null;
    var kids = elem ? elementKids(p) : p[N].kids;
    return kids[kids.indexOf(n) + d] || null;
  }
  function descendants(root, out) {
    root[N].kids.forEach(function (k) {
      if (k[N].type === 1) { out.push(k); descendants(k, out); }
    });
    return out;
  }
  function nodePreview(n) {
    var r = n[N];
    if (r.type === 3) return quote(r.data);
    if (r.type !== 1) return n.nodeName;
    var cls = (r.attrs.get("class") || "").trim();
    return r.tag + (r.attrs.get("id") ? "#" + r.attrs.get("id") : "") + (cls ? "." + cls.split(/\s+/).join(".") : "");
  }

  class Node extends EventTarget {
    constructor() { super(); illegal(); }
    appendChild(n) { return insert(this, n, null, "appendChild"); }
    insertBefore(n, ref) { return insert(this, n, ref, "insertBefore"); }
    removeChild(n) {
      if (!(n instanceof Node) || n[N].parent !== this) {
        throw domError("Failed to execute 'removeChild' on 'Node': The node to be removed is not a child of this node.", "NotFoundError");
      }
      detach(n);
      return n;
    }
    replaceChild(n, old) {
      insert(this, n, old, "replaceChild");
      return this.removeChild(old);
    }
    contains(n) {
      for (; n; n = n[N].parent) if (n === this) return true;
      return false;
    }
    hasChildNodes() { return rec(this).kids.length > 0; }
    getRootNode() { var n = this; while (n[N].parent) n = n[N].parent; return n; }
    cloneNode(deep) {
      var r = rec(this), c;
      if (r.type === 1) {
        c = mkElement(r.doc, r.tag);
        c[N].attrs = new Map(r.attrs);
        if (r.style) c[N].style = Object.assign(Object.create(STYLE_PROTO), r.style);
      } else if (r.type === 9) {
        c = newDocument(r.url);
        c[N].kids = [];
      } else {
        c = mkNode(Object.getPrototypeOf(this), r.type, r.doc, r.type === 11 ? {} : { data: r.data });
      }
      if (deep) r.kids.forEach(function (k) { c.appendChild(k.cloneNode(true)); });
      return c;
    }
    isSameNode(n) { return n === this; }
  }
  getters(Node.prototype, {
    nodeType: function () { return rec(this).type; },
    nodeName: function () {
      var r = rec(this);
      return r.type === 1 ? r.tag.toUpperCase() : { 3: "#text", 8: "#comment", 9: "#document", 11: "#document-fragment" }[r.type];
    },
    ownerDocument: function () { var r = rec(this); return r.type === 9 ? null : r.doc; },
    parentNode: function () { return rec(this).parent; },
    parentElement: function () { var p = rec(this).parent; return p && p[N].type === 1 ? p : null; },
    childNodes: function () { return rec(this).kids.slice(); },
    firstChild: function () { return rec(this).kids[0] || null; },
    lastChild: function () { var k = rec(this).kids; return k[k.length - 1] || null; },
    previousSibling: function () { return sibling(this, -1, false); },
    nextSibling: function () { return sibling(this, 1, false); },
    isConnected: function () { var root = this.getRootNode(); return root instanceof Document; },
    nodeValue: [function () { var r = rec(this); return r.type === 3 || r.type === 8 ? r.data : null; },
      function (v) { var r = rec(this); if (r.type === 3 || r.type === 8) r.data = v == null ? "" : String(v); }],
    textContent: [function () { var r = rec(this); return r.type === 9 ? null : textOf(this, false); }, function (v) {
      var r = rec(this);
      if (r.type === 3 || r.type === 8) { r.data = v == null ? "" : String(v); return; }
      if (r.type === 9) return;
      r.kids.slice().forEach(detach);
      if (v != null && v !== "") insert(this, mkText(r.type === 9 ? this : r.doc, v), null, "textContent");
    }],
  });
  var NODE_TYPES = { ELEMENT_NODE: 1, TEXT_NODE: 3, COMMENT_NODE: 8, DOCUMENT_NODE: 9, DOCUMENT_FRAGMENT_NODE: 11 };
  for (var nt in NODE_TYPES) Object.defineProperty(Node, nt, { value: NODE_TYPES[nt] });
  // ParentNode + ChildNode mixins (Element, Document, DocumentFragment / Element, CharacterData).
  var parentMixin = {
    append: function () { var self = this; toNodes(this, arguments).forEach(function (n) { insert(self, n, null, "append"); }); },
    prepend: function () {
      var self = this, first = rec(this).kids[0] || null;
      toNodes(this, arguments).forEach(function (n) { insert(self, n, first, "prepend"); });
    },
    replaceChildren: function () {
      var self = this;
      rec(this).kids.slice().forEach(detach);
      toNodes(this, arguments).forEach(function (n) { insert(self, n, null, "replaceChildren"); });
    },
    querySelector: function (s) { return select(this, s, true, "querySelector")[0] || null; },
    querySelectorAll: function (s) { return select(this, s, false, "querySelectorAll"); },
    getElementsByTagName: function (t) {
      t = String(t).toLowerCase();
      return descendants(this, []).filter(function (e) { return t === "*" || e[N].tag === t; });
    },
    getElementsByClassName: function (c) {
      var want = String(c).trim().split(/\s+/);
      return descendants(this, []).filter(function (e) {
        var have = (e[N].attrs.get("class") || "").split(/\s+/);
        return want.every(function (w) { return have.indexOf(w) >= 0; });
      });
    },
  };
  var parentGetters = {
    children: function () { return elementKids(this); },
    firstElementChild: function () { return elementKids(this)[0] || null; },
    lastElementChild: function () { var k = elementKids(this); return k[k.length - 1] || null; },
    childElementCount: function () { return elementKids(this).length; },
  };
  var childMixin = {
    remove: function () { detach(this); },
    before: function () {
      var p = rec(this).parent, self = this;
      if (p) toNodes(p, arguments).forEach(function (n) { insert(p, n, self, "before"); });
    },
    after: function () {
      var p = rec(this).parent, next = this.nextSibling;
      if (p) toNodes(p, arguments).forEach(function (n) { insert(p, n, next, "after"); });
    },
    replaceWith: function () {
      var p = rec(this).parent, self = this;
      if (!p) return;
      toNodes(p, arguments).forEach(function (n) { insert(p, n, self, "replaceWith"); });
      detach(this);
    },
  };
  var childGetters = {
    previousElementSibling: function () { return sibling(this, -1, true); },
    nextElementSibling: function () { return sibling(this, 1, true); },
  };

  class CharacterData extends Node {}
  getters(CharacterData.prototype, {
    data: [function () { return rec(this).data; }, function (v) { rec(this).data = String(v); }],
    length: function () { return rec(this).data.length; },
  });
  def(CharacterData.prototype, childMixin);
  getters(CharacterData.prototype, childGetters);
  var Text = function Text(data) {
    return mkText(docOrNull(), data === undefined ? "" : data);
  };
  Object.setPrototypeOf(Text, CharacterData);
  Text.prototype = Object.create(CharacterData.prototype, { constructor: { value: Text, writable: true, configurable: true } });
  var Comment = function Comment(data) {
    return mkText(docOrNull(), data === undefined ? "" : data, 8);
  };
  Object.setPrototypeOf(Comment, CharacterData);
  Comment.prototype = Object.create(CharacterData.prototype, { constructor: { value: Comment, writable: true, configurable: true } });
  var DocumentFragment = function DocumentFragment() { return mkNode(DocumentFragment.prototype, 11, docOrNull(), {}); };
  Object.setPrototypeOf(DocumentFragment, Node);
  DocumentFragment.prototype = Object.create(Node.prototype, { constructor: { value: DocumentFragment, writable: true, configurable: true } });
  def(DocumentFragment.prototype, parentMixin);
  getters(DocumentFragment.prototype, parentGetters);

  // Element
  var STYLE_PROTO = {
    setProperty: function (k, v) { this[k] = String(v); },
    getPropertyValue: function (k) { return this[k] === undefined ? "" : String(this[k]); },
    removeProperty: function (k) { var v = this.getPropertyValue(k); delete this[k]; return v; },
  };
  Object.keys(STYLE_PROTO).forEach(function (k) { Object.defineProperty(STYLE_PROTO, k, { enumerable: false }); });
  var tokenState = new WeakMap();
  class DOMTokenList {
    constructor() { illegal(); }
    get length() { return tokens(this).length; }
    get value() { return tokenState.get(this)[N].attrs.get("class") || ""; }
    set value(v) { tokenState.get(this).setAttribute("class", v); }
    item(i) { return tokens(this)[i] === undefined ? null : tokens(this)[i]; }
    contains(t) { return tokens(this).indexOf(String(t)) >= 0; }
    add() { var t = tokens(this); Array.prototype.forEach.call(arguments, function (x) { x = checkToken(x, "add"); if (t.indexOf(x) < 0) t.push(x); }); setTokens(this, t); }
    remove() {
      var drop = Array.prototype.map.call(arguments, function (x) { return checkToken(x, "remove"); });
      setTokens(this, tokens(this).filter(function (x) { return drop.indexOf(x) < 0; }));
    }
    toggle(t, force) {
      t = checkToken(t, "toggle");
      var has = this.contains(t);
      if (has && force !== true) { this.remove(t); return false; }
      if (!has && force !== false) { this.add(t); return true; }
      return has;
    }
    replace(a, b) {
      var t = tokens(this), i = t.indexOf(String(a));
      if (i < 0) return false;
      t[i] = checkToken(b, "replace");
      setTokens(this, t.filter(function (x, j) { return t.indexOf(x) === j; }));
      return true;
    }
    toString() { return this.value; }
    forEach(cb, thisArg) { tokens(this).forEach(function (t, i) { cb.call(thisArg, t, i, this); }, this); }
    [Symbol.iterator]() { return tokens(this)[Symbol.iterator](); }
  }
  function tokens(list) {
    var v = tokenState.get(list)[N].attrs.get("class") || "";
    var out = [];
    v.split(/[ \t\n\f\r]+/).forEach(function (t) { if (t && out.indexOf(t) < 0) out.push(t); });
    return out;
  }
  function setTokens(list, t) { tokenState.get(list).setAttribute("class", t.join(" ")); }
  function checkToken(t, m) {
    t = String(t);
    if (t === "") throw domError("Failed to execute '" + m + "' on 'DOMTokenList': The token provided must not be empty.", "SyntaxError");
    if (/\s/.test(t)) throw domError("Failed to execute '" + m + "' on 'DOMTokenList': The token provided ('" + t + "') contains HTML space characters, which are not valid in tokens.", "InvalidCharacterError");
    return t;
  }
  function attrName(n, method) {
    n = String(n).toLowerCase();
    if (!/^[^\s"'>/=\x00-\x1f]+$/.test(n)) {
      throw domError("Failed to execute '" + method + "' on 'Element': '" + n + "' is not a valid attribute name.", "InvalidCharacterError");
    }
    return n;
  }
  class Element extends Node {
    getAttribute(n) { var v = rec(this).attrs.get(String(n).toLowerCase()); return v === undefined ? null : v; }
    setAttribute(n, v) { rec(this).attrs.set(attrName(n, "setAttribute"), String(v)); }
    hasAttribute(n) { return rec(this).attrs.has(String(n).toLowerCase()); }
    removeAttribute(n) { rec(this).attrs.delete(String(n).toLowerCase()); }
    toggleAttribute(n, force) {
      n = attrName(n, "toggleAttribute");
      var has = this.hasAttribute(n);
      if (has && force !== true) { this.removeAttribute(n); return false; }
      if (!has && force !== false) this.setAttribute(n, "");
      return has || force !== false;
    }
    getAttributeNames() { return Array.from(rec(this).attrs.keys()); }
    hasAttributes() { return rec(this).attrs.size > 0; }
    matches(s) { var m = compileSelector(s, "matches", "Element"); return matchAny(this, m); }
    closest(s) {
      var m = compileSelector(s, "closest", "Element");
      for (var e = this; e && e[N].type === 1; e = e[N].parent) if (matchAny(e, m)) return e;
      return null;
    }
    insertAdjacentHTML(where, html) {
      var frag = mkNode(DocumentFragment.prototype, 11, rec(this).doc, {});
      parseHTML(String(html), frag, false);
      where = String(where).toLowerCase();
      if (where === "beforebegin") this.before(frag);
      else if (where === "afterbegin") this.prepend(frag);
      else if (where === "beforeend") this.append(frag);
      else if (where === "afterend") this.after(frag);
      else throw domError("Failed to execute 'insertAdjacentHTML' on 'Element': The value provided ('" + where + "') is not one of 'beforeBegin', 'afterBegin', 'beforeEnd', or 'afterEnd'.", "SyntaxError");
    }
    click() { activate(this, false); }
    focus() {}
    blur() {}
  }
  def(Element.prototype, parentMixin);
  def(Element.prototype, childMixin);
  getters(Element.prototype, parentGetters);
  getters(Element.prototype, childGetters);
  function reflect(name) {
    return [function () { var v = rec(this).attrs.get(name); return v === undefined ? "" : v; },
      function (v) { rec(this).attrs.set(name, String(v)); }];
  }
  function reflectBool(name) {
    return [function () { return rec(this).attrs.has(name); },
      function (v) { if (v) rec(this).attrs.set(name, ""); else rec(this).attrs.delete(name); }];
  }
  getters(Element.prototype, {
    tagName: function () { return rec(this).tag.toUpperCase(); },
    localName: function () { return rec(this).tag; },
    id: reflect("id"),
    className: reflect("class"),
    classList: function () {
      var r = rec(this);
      if (!r.cl) { r.cl = Object.create(DOMTokenList.prototype); tokenState.set(r.cl, this); }
      return r.cl;
    },
    attributes: function () {
      return Array.from(rec(this).attrs, function (kv) { return { name: kv[0], value: kv[1] }; });
    },
    style: function () { var r = rec(this); return r.style || (r.style = Object.create(STYLE_PROTO)); },
    innerHTML: [function () { return serializeKids(this); }, function (v) {
      rec(this).kids.slice().forEach(detach);
      parseHTML(v == null ? "" : String(v), this, false);
    }],
    outerHTML: function () { return serializeNode(this); },
    innerText: [function () { return textOf(this, true); }, function (v) { this.textContent = v; }],
    dataset: function () {
      var el = this;
      return new Proxy({}, {
        get: function (t, k) { return typeof k === "string" ? el.getAttribute("data-" + k.replace(/[A-Z]/g, "-$&").toLowerCase()) ?? undefined : undefined; },
        set: function (t, k, v) { el.setAttribute("data-" + String(k).replace(/[A-Z]/g, "-$&").toLowerCase(), v); return true; },
      });
    },
    title: reflect("title"),
    name: reflect("name"),
    href: reflect("href"),
    src: reflect("src"),
    type: reflect("type"),
    hidden: reflectBool("hidden"),
    disabled: reflectBool("disabled"),
    value: [function () {
      var r = rec(this);
      if ("value" in r) return r.value;
      return r.tag === "textarea" ? textOf(this, false) : r.attrs.get("value") ?? (r.tag === "input" && /^(checkbox|radio)$/.test(r.attrs.get("type")) ? "on" : "");
    }, function (v) { rec(this).value = v == null ? "" : String(v); }],
    checked: [function () { var r = rec(this); return "checked" in r ? r.checked : r.attrs.has("checked"); },
      function (v) { rec(this).checked = !!v; }],
  });
  class HTMLElement extends Element {}
  defineHandlers(HTMLElement.prototype, COMMON_HANDLERS);
  // Activation behaviour of a click: checkbox/radio toggle before dispatch (undone when the click
  // is canceled), then input + change events.
  function activate(el, trusted) {
    var r = rec(el), toggles = r.tag === "input" && /^(checkbox|radio)$/i.test(r.attrs.get("type") || "");
    var was = el.checked;
    if (toggles) el.checked = r.attrs.get("type").toLowerCase() === "radio" ? true : !was;
    var ev = new MouseEvent("click", { bubbles: true, cancelable: true, composed: true, view: global.window || null });
    es(ev).trusted = trusted;
    var ok = dispatch(el, ev);
    if (!toggles) return ok;
    if (!ok) { el.checked = was; return ok; }
    if (el.checked !== was) {
      ["input", "change"].forEach(function (t) {
        var e = new Event(t, { bubbles: true });
        es(e).trusted = trusted;
        dispatch(el, e);
      });
    }
    return ok;
  }

  // file: platform.js — HTML serialization / parsing (simple markup; no scripts run)
  function escapeText(s, attr) {
    return s.replace(attr ? /[&"\u00a0]/g : /[&<>\u00a0]/g, function (c) {
      return { "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;" }[c];
    });
  }
  function serializeKids(n) { return rec(n).kids.map(serializeNode).join(""); }
  function serializeNode(n) {
    var r = n[N];
    if (r.type === 3) {
      var p = r.parent && r.parent[N].tag;
      return p && /^(script|style)$/.test(p) ? r.data : escapeText(r.data, false);
    }
    if (r.type === 8) return "<!--" + r.data + "-->";
    if (r.type !== 1) return serializeKids(n);
    var s = "<" + r.tag;
    r.attrs.forEach(function (v, k) { s += " " + k + '="' + escapeText(v, true) + '"'; });
    s += ">";
    return VOID.test(r.tag) ? s : s + serializeKids(n) + "</" + r.tag + ">";
  }
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", copy: "©", reg: "®", hellip: "…", mdash: "—", ndash: "–", times: "×" };
  function decodeEntities(s) {
    if (s.indexOf("&") < 0) return s;
    return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);?/g, function (m, e) {
      if (e[0] !== "#") return ENTITIES[e] || m;
      var cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : "\ufffd";
    });
  }
  var TAG_RE = /<!--([\s\S]*?)(?:-->|$)|<![^>]*>|<\?[^>]*>|<\/([a-zA-Z][^\s/>]*)[^>]*>|<([a-zA-Z][^\s/>]*)((?:\s+|\/(?!>)|[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\/?>/g;
  var ATTR_RE = /([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  // docMode: <html>/<head>/<body> tags merge into the document's own elements.
  function parseHTML(html, root, docMode) {
    var doc = root[N].type === 9 ? root : root[N].doc, stack = [root], pos = 0, m;
    var parts = docMode ? { html: root.documentElement, head: root.head, body: root.body } : null;
    if (docMode) stack = [parts.html, parts.body];
    function top() { return stack[stack.length - 1]; }
    function text(s) {
      if (!s) return;
      var t = top(), last = t[N].kids[t[N].kids.length - 1];
      if (docMode && t === parts.html) {
        if (!s.trim()) return;
        t = parts.body;
      }
      if (last && last[N].type === 3) last[N].data += s;
      else insert(t, mkText(doc, s), null, "appendChild");
    }
    TAG_RE.lastIndex = 0;
    while ((m = TAG_RE.exec(html))) {
      text(decodeEntities(html.slice(pos, m.index)));
      pos = TAG_RE.lastIndex;
      if (m[1] !== undefined) { insert(top(), mkText(doc, m[1], 8), null, "appendChild"); continue; }
      if (m[2]) {
        var end = m[2].toLowerCase();
        if (docMode && (end === "head" || end === "body" || end === "html")) {
          if (end === "head") stack = [parts.html, parts.body];
          continue;
        }
        for (var i = stack.length - 1; i > 0; i--) {
          if (stack[i][N].tag === end) { stack.length = i; break; }
          if (docMode && (stack[i] === parts.body || stack[i] === parts.head)) break;
        }
        continue;
      }
      if (!m[3]) continue;
      var tag = m[3].toLowerCase(), el, a, structural = docMode && /^(html|head|body)$/.test(tag);
      if (structural) {
        el = parts[tag];
        if (tag === "head") stack = [parts.html, parts.head];
        if (tag === "body") stack = [parts.html, parts.body];
      } else {
        el = mkElement(doc, tag);
        insert(top(), el, null, "appendChild");
      }
      ATTR_RE.lastIndex = 0;
      while ((a = ATTR_RE.exec(m[4]))) {
        var an = a[1].toLowerCase();
        if (!el[N].attrs.has(an)) el[N].attrs.set(an, decodeEntities(a[2] ?? a[3] ?? a[4] ?? ""));
      }
      if (structural || VOID.test(tag)) continue;
      if (RAW.test(tag)) {
        var close = new RegExp("</" + tag + "[\\s/>]", "i");
        var rest = html.slice(pos), at = rest.search(close);
        var body = at < 0 ? rest : rest.slice(0, at);
        if (body) el[N].kids.push(mkNodeChild(el, /^(script|style)$/.test(tag) ? body : decodeEntities(body)));
        pos = at < 0 ? html.length : pos + at + rest.slice(at).indexOf(">") + 1;
        TAG_RE.lastIndex = pos;
        continue;
      }
      stack.push(el);
    }
    text(decodeEntities(html.slice(pos)));
  }
  function mkNodeChild(parent, data) {
    var t = mkText(parent[N].doc, data);
    t[N].parent = parent;
    return t;
  }

  // file: platform.js — selectors
  var selectorCache = new Map();
  var SEL_RE = /\s*([>+~,])\s*|(\s+)|(\*|[\w\u00a0-\uffff-]+)|#([\w\u00a0-\uffff-]+)|\.([\w\u00a0-\uffff-]+)|\[\s*([\w\u00a0-\uffff-]+)\s*(?:([~^$*|]?=)\s*(?:"([^"]*)"|'([^']*)'|([\w\u00a0-\uffff-]+))\s*)?\]|:([\w-]+)/y;
  var PSEUDOS = /^(first-child|last-child|only-child|checked|disabled|enabled|empty|root)$/;
  // A selector list → [complex]; complex = {c: [compound], k: [combinator before compound i]};
  // compound = {tag, ids: [], classes: [], attrs: [[name, op, value]], pseudo: []}.
  function compileSelector(s, method, on) {
    s = String(s);
    var hit = selectorCache.get(s);
    if (hit) return hit;
    var err = function () {
      return domError("Failed to execute '" + method + "' on '" + on + "': '" + s + "' is not a valid selector.", "SyntaxError");
    };
    var list = [], cx = { c: [], k: [] }, cur = null, comb = null, pos = 0, src = s.trim(), m;
    function compound() {
      if (!cur) { cur = { tag: null, ids: [], classes: [], attrs: [], pseudo: [] }; cx.c.push(cur); cx.k.push(comb); comb = null; }
      return cur;
    }
    while (pos < src.length) {
      SEL_RE.lastIndex = pos;
      m = SEL_RE.exec(src);
      if (!m) throw err();
      pos = SEL_RE.lastIndex;
      if (m[1] === ",") {
        if (!cur || comb) throw err();
        list.push(cx); cx = { c: [], k: [] }; cur = null; comb = null;
      } else if (m[1] || m[2]) {
        if (!cur) throw err();
        comb = m[1] || " ";
        cur = null;
      } else if (m[3]) {
        if (cur) throw err();
        compound().tag = m[3] === "*" ? null : m[3].toLowerCase();
      } else if (m[4]) compound().ids.push(m[4]);
      else if (m[5]) compound().classes.push(m[5]);
      else if (m[6]) compound().attrs.push([m[6].toLowerCase(), m[7] || null, m[8] ?? m[9] ?? m[10] ?? null]);
      else if (m[11]) {
        if (!PSEUDOS.test(m[11])) throw err();
        compound().pseudo.push(m[11]);
      }
    }
    if (!cur) throw err();
    list.push(cx);
    if (selectorCache.size > 200) selectorCache.clear();
    selectorCache.set(s, list);
    return list;
  }
  function matchCompound(e, c) {
    var r = e[N];
    if (c.tag && r.tag !== c.tag) return false;
    for (var i = 0; i < c.ids.length; i++) if (r.attrs.get("id") !== c.ids[i]) return false;
    if (c.classes.length) {
      var have = (r.attrs.get("class") || "").split(/\s+/);
      for (i = 0; i < c.classes.length; i++) if (have.indexOf(c.classes[i]) < 0) return false;
    }
    for (i = 0; i < c.attrs.length; i++) {
      var a = c.attrs[i], v = r.attrs.get(a[0]), w = a[2];
      if (v === undefined) return false;
      if (!a[1]) continue;
      var ok = a[1] === "=" ? v === w : a[1] === "~=" ? v.split(/\s+/).indexOf(w) >= 0
        : a[1] === "|=" ? v === w || v.startsWith(w + "-") : !w ? false
        : a[1] === "^=" ? v.startsWith(w) : a[1] === "$=" ? v.endsWith(w) : v.indexOf(w) >= 0;
      if (!ok) return false;
    }
    for (i = 0; i < c.pseudo.length; i++) {
      var p = c.pseudo[i], par = r.parent, sibs = par ? elementKids(par) : [e];
      if (p === "first-child" && sibs[0] !== e) return false;
      if (p === "last-child" && sibs[sibs.length - 1] !== e) return false;
      if (p === "only-child" && sibs.length !== 1) return false;
      if (p === "checked" && !(e.checked && /^(input|option)$/.test(r.tag))) return false;
      if (p === "disabled" && !r.attrs.has("disabled")) return false;
      if (p === "enabled" && r.attrs.has("disabled")) return false;
      if (p === "empty" && r.kids.some(function (k) { return k[N].type !== 8; })) return false;
      if (p === "root" && !(par && par[N].type === 9)) return false;
    }
    return true;
  }
  function matchComplex(e, cx, i) {
    if (!matchCompound(e, cx.c[i])) return false;
    if (i === 0) return true;
    var k = cx.k[i], p;
    if (k === ">" || k === " ") {
      for (p = e[N].parent; p && p[N].type === 1; p = p[N].parent) {
        if (matchComplex(p, cx, i - 1)) return true;
        if (k === ">") return false;
      }
      return false;
    }
    for (p = sibling(e, -1, true); p; p = sibling(p, -1, true)) {
      if (matchComplex(p, cx, i - 1)) return true;
      if (k === "+") return false;
    }
    return false;
  }
  function matchAny(e, list) {
    for (var i = 0; i < list.length; i++) if (matchComplex(e, list[i], list[i].c.length - 1)) return true;
    return false;
  }
  function select(root, s, first, method) {
    var list = compileSelector(s, method, root instanceof Document ? "Document" : root instanceof Element ? "Element" : "DocumentFragment");
    var out = [];
    (function walk(n) {
      var kids = n[N].kids;
      for (var i = 0; i < kids.length; i++) {
        var k = kids[i];
        if (k[N].type !== 1) continue;
        if (matchAny(k, list)) { out.push(k); if (first) return true; }
        if (walk(k)) return true;
      }
      return false;
    })(root);
    return out;
  }

  // file: platform.js — Document, Location, Window
  var currentDoc = null, userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  function docOrNull() { return currentDoc || getDocument(); }
  function getDocument() { return currentDoc || (currentDoc = newDocument("about:blank")); }
  class Document extends Node {}
  def(Document.prototype, parentMixin);
  getters(Document.prototype, parentGetters);
  defineHandlers(Document.prototype, COMMON_HANDLERS + " readystatechange visibilitychange");
  def(Document.prototype, {
    createElement: function (tag) {
      tag = String(tag);
      if (!/^[a-zA-Z][^\s/>\x00]*$/.test(tag)) {
        throw domError("Failed to execute 'createElement' on 'Document': The tag name provided ('" + tag + "') is not a valid name.", "InvalidCharacterError");
      }
      return mkElement(this, tag);
    },
    createTextNode: function (data) { return mkText(this, data); },
    createComment: function (data) { return mkText(this, data, 8); },
    createDocumentFragment: function () { return mkNode(DocumentFragment.prototype, 11, this, {}); },
    createEvent: function () { return new Event(""); },
    getElementById: function (id) {
      id = String(id);
      return descendants(this, []).find(function (e) { return e[N].attrs.get("id") === id; }) || null;
    },
    getElementsByName: function (n) {
      n = String(n);
      return descendants(this, []).filter(function (e) { return e[N].attrs.get("name") === n; });
    },
    hasFocus: function () { return true; },
  });
  function findTag(doc, tag) { return descendants(doc, []).find(function (e) { return e[N].tag === tag; }) || null; }
  getters(Document.prototype, {
    documentElement: function () { return elementKids(this)[0] || null; },
    head: function () { return findTag(this, "head"); },
    body: function () { return findTag(this, "body"); },
    title: [function () {
      var t = findTag(this, "title");
      return t ? textOf(t, false).replace(/[ \t\n\f\r]+/g, " ").trim() : "";
    }, function (v) {
      var t = findTag(this, "title"), h = this.head;
      if (!t && h) t = h.appendChild(mkElement(this, "title"));
      if (t) t.textContent = v;
    }],
    URL: function () { return serialize(rec(this).url); },
    documentURI: function () { return serialize(rec(this).url); },
    baseURI: function () { return serialize(rec(this).url); },
    location: function () { return this === currentDoc ? rec(this).location : null; },
    domain: function () { return rec(this).url.host || ""; },
    referrer: function () { return ""; },
    readyState: function () { return rec(this).ready; },
    defaultView: function () { return this === currentDoc && "window" in global ? global : null; },
    characterSet: function () { return "UTF-8"; },
    contentType: function () { return "text/html"; },
    compatMode: function () { return "CSS1Compat"; },
    hidden: function () { return false; },
    visibilityState: function () { return "visible"; },
    activeElement: function () { return this.body; },
    cookie: [function () { return ""; }, function () {}],
  });
  function newDocument(url) {
    var u = parseURL(url, null);
    if (!u) throw new TypeError("Failed to construct 'URL': Invalid URL");
    var doc = mkNode(Document.prototype, 9, null, { url: u, ready: "loading", location: null });
    var html = mkElement(doc, "html");
    insert(doc, html, null, "appendChild");
    html.appendChild(mkElement(doc, "head"));
    html.appendChild(mkElement(doc, "body"));
    doc[N].location = mkLocation(Location.prototype, u);
    return doc;
  }
  function setDocument(opts) {
    if (typeof opts === "string") opts = JSON.parse(opts);
    opts = opts || {};
    var doc = newDocument(opts.url == null ? "about:blank" : String(opts.url));
    if (opts.html) parseHTML(String(opts.html), doc, true);
    if (opts.title != null) doc.title = String(opts.title);
    else if (!findTag(doc, "title")) doc.head.insertBefore(mkElement(doc, "title"), doc.head.firstChild);
    currentDoc = doc;
    if ("window" in global) {
      // a subframe's parent/top are other windows (other realms here): opaque stand-ins, so
      // that `window.top === window` is false in an iframe as in the browsers
      var outer = opts.subframe ? Object.freeze(Object.create(Window.prototype)) : global;
      def(global, { parent: outer, top: outer });
    }
    return doc;
  }
  // Location / WorkerLocation: read-only views of a URL record.
  var locState = new WeakMap();
  function mkLocation(proto, u) {
    var l = Object.create(proto);
    locState.set(l, u);
    return l;
  }
  function navigate(url) {
    var f = host("navigate"), u = parseURL(url, locState.get(this));
    if (!u) throw domError("Failed to execute 'assign' on 'Location': '" + url + "' is not a valid URL.", "SyntaxError");
    if (f) f(serialize(u));
  }
  class Location {
    constructor() { illegal(); }
    toString() { return serialize(locState.get(this)); }
    assign(url) { navigate.call(this, url); }
    replace(url) { navigate.call(this, url); }
    reload() { navigate.call(this, this.href); }
  }
  class WorkerLocation {
    constructor() { illegal(); }
    toString() { return serialize(locState.get(this)); }
  }
  ["href", "origin", "protocol", "host", "hostname", "port", "pathname", "search", "hash"].forEach(function (k) {
    var g = Object.getOwnPropertyDescriptor(URL.prototype, k).get;
    var get = function () {
      var u = Object.create(URL.prototype);
      urlState.set(u, { rec: locState.get(this), params: null });
      return g.call(u);
    };
    getters(WorkerLocation.prototype, { [k]: get });
    getters(Location.prototype, { [k]: k === "href" ? [get, function (v) { navigate.call(this, v); }] : get });
  });
  class Window extends EventTarget {
    constructor() { super(); illegal(); }
  }
  defineHandlers(Window.prototype, COMMON_HANDLERS + " unhandledrejection rejectionhandled beforeunload unload pageshow pagehide online offline");
  var navigatorObj = Object.create({
    get userAgent() { return userAgent; },
    get appVersion() { return userAgent.replace(/^Mozilla\//, ""); },
    get language() { return "en-US"; },
    get languages() { return ["en-US", "en"]; },
    get onLine() { return true; },
    get platform() { return "Linux x86_64"; },
    get vendor() { return "Google Inc."; },
    get cookieEnabled() { return true; },
    get hardwareConcurrency() { return 4; },
    get webdriver() { return false; },
  });
  var performanceObj = {
    now: now,
    get timeOrigin() { return epochMs(); },
    toJSON: function () { return { timeOrigin: this.timeOrigin }; },
  };

  function dispatchDocumentEvent(type) {
    var doc = getDocument(), r = doc[N];
    function fire(t, ev, path) {
      es(ev).trusted = true;
      return dispatch(t, ev, path);
    }
    if (type === "interactive") {
      // the DOM is complete: document_end scripts run now, before DOMContentLoaded
      if (r.ready !== "loading") return true;
      r.ready = "interactive";
      return fire(doc, new Event("readystatechange"));
    }
    if (type === "DOMContentLoaded") {
      if (r.ready === "loading") {
        r.ready = "interactive";
        fire(doc, new Event("readystatechange"));
      }
      return fire(doc, new Event("DOMContentLoaded", { bubbles: true }));
    }
    if (type === "load") {
      r.ready = "complete";
      fire(doc, new Event("readystatechange"));
      var ev = new Event("load");
      var ok = "window" in global ? fire(doc, ev, [global]) : true;
      if ("window" in global) fire(global, new Event("pageshow"), [global]);
      return ok;
    }
    return fire(global, new Event(String(type)), [global]);
  }
  function click(selector) {
    var el = getDocument().querySelector(selector);
    if (!el) return false;
    activate(el, true);
    return true;
  }
  var DOM_NAMES = ["Node", "Element", "HTMLElement", "CharacterData", "Text", "Comment", "Document", "DocumentFragment",
    "DOMTokenList", "Location", "Window", "MouseEvent", "KeyboardEvent"];
  function makeWorkerGlobal(url, module) {
    var u = url == null ? getDocument()[N].url : parseURL(url, null);
    if (!u) throw new TypeError("Failed to construct 'URL': Invalid URL");
    class WorkerGlobalScope extends EventTarget {
      constructor() { super(); illegal(); }
    }
    defineHandlers(WorkerGlobalScope.prototype, "error message messageerror unhandledrejection rejectionhandled online offline");
    Object.setPrototypeOf(global, WorkerGlobalScope.prototype);
    ["window", "document", "parent", "top", "frames", "requestAnimationFrame", "cancelAnimationFrame",
      "alert", "confirm", "prompt"].concat(DOM_NAMES)
      .forEach(function (n) { delete global[n]; });
    var loc = mkLocation(WorkerLocation.prototype, u);
    Object.defineProperty(global, "location", { get: function () { return loc; }, configurable: true, enumerable: true });
    global.WorkerGlobalScope = WorkerGlobalScope;
    var prefix = "Failed to execute 'importScripts' on 'WorkerGlobalScope': ";
    var importScripts = function importScripts() {
      if (module) throw new TypeError(prefix + "Module scripts don't support importScripts().");
      var hrefs = [];
      for (var i = 0; i < arguments.length; i++) {
        var text = String(arguments[i]);
        var parsed = parseURL(text, u);
        if (!parsed) throw domError(prefix + "The URL '" + text + "' is invalid.", "SyntaxError");
        hrefs.push(serialize(parsed, false));
      }
      var load = host("importScript");
      for (var j = 0; j < hrefs.length; j++) {
        if (!load || load(hrefs[j]) != null) {
          throw domError(prefix + "The script at '" + hrefs[j] + "' failed to load.", "NetworkError");
        }
      }
    };
    Object.defineProperty(global, "importScripts", { value: importScripts, writable: true, configurable: true, enumerable: true });
  }

  // file: platform.js — install globals
  function setTimeout(fn, delay) { return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), false); }
  function setInterval(fn, delay) { return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), true); }
  function clearTimeout(id) { clearTimer(id); }
  function clearInterval(id) { clearTimer(id); }
  var api = {
    console: consoleObj, setTimeout: setTimeout, clearTimeout: clearTimeout, setInterval: setInterval,
    clearInterval: clearInterval, TextEncoder: TextEncoder, TextDecoder: TextDecoder, URL: URL,
    URLSearchParams: URLSearchParams, Event: Event, CustomEvent: CustomEvent, MouseEvent: MouseEvent,
    KeyboardEvent: KeyboardEvent, ErrorEvent: ErrorEvent, MessageEvent: MessageEvent,
    PromiseRejectionEvent: PromiseRejectionEvent, EventTarget: EventTarget, AbortController: AbortController,
    MessageChannel: MessageChannel, MessagePort: MessagePort,
    AbortSignal: AbortSignal, Node: Node, Element: Element, HTMLElement: HTMLElement, CharacterData: CharacterData,
    Text: Text, Comment: Comment, Document: Document, DocumentFragment: DocumentFragment, DOMTokenList: DOMTokenList,
    Location: Location, WorkerLocation: WorkerLocation, Window: Window, performance: performanceObj,
    navigator: navigatorObj, reportError: reportError, Date: VirtualDate,
    // window dialogs: no one is there to answer, so they behave as dismissed ones
    alert: function alert() {},
    confirm: function confirm() { return false; },
    prompt: function prompt() { return null; },
    requestAnimationFrame: function (cb) { return setTimeout(function () { cb(now()); }, 16); },
    cancelAnimationFrame: clearTimeout,
  };
  // queueMicrotask: a callback's exception is reported (an ErrorEvent at the global, then the
  // host), as the HTML "report the exception" step does, not left to the job queue
  var nativeQueueMicrotask = typeof global.queueMicrotask === "function" ? global.queueMicrotask : null;
  api.queueMicrotask = function queueMicrotask(cb) {
    if (typeof cb !== "function") throw new TypeError("Failed to execute 'queueMicrotask' on 'Window': parameter 1 is not of type 'Function'.");
    var job = function () {
      try { cb(); } catch (e) { reportUncaught(e); }
    };
    if (nativeQueueMicrotask) nativeQueueMicrotask(job);
    else Promise.resolve().then(job);
  };
  def(global, api);
  Object.setPrototypeOf(global, Window.prototype);
  Object.defineProperty(global, "window", { get: function () { return global; }, configurable: true, enumerable: true });
  ["self", "parent", "top", "frames"].forEach(function (n) { def(global, { [n]: global }); });
  getters(global, {
    document: getDocument,
    location: function () { return getDocument()[N].location; },
    origin: function () { return originOf(this.location ? locState.get(this.location) : getDocument()[N].url); },
    isSecureContext: function () { return true; },
  });

  def(global, {
    __wxPlatform: {
      fireTimer: fireTimer,
      dispatchDocumentEvent: dispatchDocumentEvent,
      click: click,
      setDocument: function (opts) { setDocument(opts); },
      formatConsole: formatConsole,
      setUserAgent: function (ua) { userAgent = String(ua); },
      setErrorEventPrefix: function (prefix) { errorEventPrefix = String(prefix); },
      reportError: reportError,
      makeWorkerGlobal: makeWorkerGlobal,
      setEpoch: function (ms) { epoch = +ms; },
    },
  });
})(globalThis);

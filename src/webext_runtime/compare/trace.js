// webext-runtime compare: the shared trace helper for scenario extensions.
// `webext-runtime compare` copies this file into the extension as trace.js (and puts it in
// front of an MV3 service worker, which cannot load a second classic script without
// importScripts). Scenario code calls
//   T(event, data)   record one event: console.log("TRACE " + JSON) and, when the harness set
//                    a report URL (real Firefox, whose extension consoles are out of reach),
//                    a fetch to it
//   LE()             chrome.runtime.lastError's message now, "<none>" when unset
//   X(fn)            {threw, name, message} of calling fn (or {threw: false, ret: D(result)})
//   D(value)         a JSON-safe description of a received value (type, json, ctor, keys)
//   SND(sender)      a MessageSender with its key order kept (keys + the object)
//   NS               the promise namespace: `browser` in Firefox, `chrome` elsewhere
//   ERR(e)           {name, message, ctor} of an error (or {value} of a thrown non-object)
//   PR(label, fn, ms)  call fn (a promise-returning API call) and record once how it ends:
//                    {threw, error} | {ret} (not a promise) | {resolved: D(v)} |
//                    {rejected: ERR(e)} | {pending: true} after ms (default 500); returns a
//                    promise settled when the record is made (scenarios await cases in turn)
//   CB(label, call, ms)  call(callback) for the callback form: records the callback's
//                    arguments and runtime.lastError inside it (or {threw} / {pending})
// Every record names its context: "<extension name>/bg", ".../ext:/page.html?q" or
// ".../cs:/page.html?q" (a content script, by its document's path) and carries a per-context
// sequence number, so the harness can compare each context's own order (the order across
// contexts is not deterministic in real browsers).
/* eslint-disable no-var */
var __TRACE_REPORT__ = __TRACE_REPORT_URL_PLACEHOLDER__;
(function () {
  "use strict";
  var g = globalThis;
  if (g.T && g.T.__trace) return;
  var api = g.chrome && g.chrome.runtime ? g.chrome : g.browser;
  var self = { id: "?", base: "?", name: "?" };
  try {
    self.id = api.runtime.id;
    self.base = api.runtime.getURL("");
    self.name = api.runtime.getManifest().name;
  } catch (e) {
    /* web page: no runtime */
  }
  function label() {
    if (typeof document === "undefined") return "bg";
    var loc = g.location;
    var proto = loc.protocol;
    var where = loc.pathname + loc.search;
    if (proto === "chrome-extension:" || proto === "moz-extension:") {
      if (loc.pathname === "/_generated_background_page.html") return "bg";
      return "ext:" + where;
    }
    // (not window.top: the label must not depend on what is being tested)
    return "cs:" + where;
  }
  var ctx = self.name + "/" + label();
  var seq = 0;
  function safe(v, depth) {
    // JSON-safe copy that never throws (cycles, BigInt, functions described).
    depth = depth || 0;
    if (v === undefined) return { "$undefined": true };
    if (v === null || typeof v === "boolean" || typeof v === "string") return v;
    if (typeof v === "number") {
      if (Number.isNaN(v)) return { "$number": "NaN" };
      if (!Number.isFinite(v)) return { "$number": v > 0 ? "Infinity" : "-Infinity" };
      if (v === 0 && 1 / v < 0) return { "$number": "-0" };
      return v;
    }
    if (typeof v === "bigint") return { "$bigint": String(v) };
    if (typeof v === "function") return { "$function": true };
    if (typeof v === "symbol") return { "$symbol": String(v) };
    if (depth > 8) return { "$deep": true };
    if (Array.isArray(v)) {
      var out = [];
      for (var i = 0; i < v.length; i++) out.push(i in v ? safe(v[i], depth + 1) : { "$hole": true });
      return out;
    }
    var o = {};
    Object.keys(v).forEach(function (k) {
      o[k] = safe(v[k], depth + 1);
    });
    return o;
  }
  function T(ev, data) {
    var rec = { c: ctx, n: ++seq, e: ev, d: data === undefined ? null : safe(data), s: self };
    var line = JSON.stringify(rec);
    console.log("TRACE " + line);
    if (__TRACE_REPORT__) {
      try {
        g.fetch(__TRACE_REPORT__, {
          method: "POST",
          mode: "no-cors",
          keepalive: true,
          headers: { "Content-Type": "text/plain" },
          body: line,
        }).catch(function () {});
      } catch (e) {
        /* reporting must never disturb the scenario */
      }
    }
  }
  T.__trace = true;
  function LE() {
    var le = api.runtime.lastError;
    if (le === undefined) return "<undefined>";
    if (le === null) return "<null>";
    return le.message;
  }
  function D(v) {
    var d = { type: v === null ? "null" : Array.isArray(v) ? "array" : typeof v };
    try {
      var j = JSON.stringify(v);
      d.json = j === undefined ? "<undefined>" : j;
    } catch (e) {
      d.json = "<" + e.name + ">";
    }
    if (v !== null && typeof v === "object") {
      d.ctor = v.constructor ? v.constructor.name : "<none>";
      d.keys = Object.keys(v);
    }
    d.value = safe(v);
    return d;
  }
  function X(fn) {
    try {
      var r = fn();
      return { threw: false, ret: D(r) };
    } catch (e) {
      return {
        threw: true,
        name: e && e.name,
        message: e && e.message,
        ctor: e && e.constructor ? e.constructor.name : "<none>",
      };
    }
  }
  function SND(sender) {
    if (sender === undefined) return "<undefined>";
    if (sender === null) return "<null>";
    return { keys: Object.keys(sender), sender: safe(sender) };
  }

  var NS = self.base.indexOf("moz-extension:") === 0 && g.browser ? g.browser : api;
  function ERR(e) {
    if (e === undefined) return "<undefined>";
    if (e === null) return "<null>";
    if (typeof e !== "object" && typeof e !== "function") return { value: safe(e) };
    return {
      name: e.name === undefined ? "<undefined>" : safe(e.name),
      message: e.message === undefined ? "<undefined>" : safe(e.message),
      ctor: e.constructor ? e.constructor.name : "<none>",
    };
  }
  function PR(label, fn, ms) {
    return new Promise(function (resolve) {
      var r;
      try {
        r = fn();
      } catch (e) {
        T(label, { threw: true, error: ERR(e) });
        resolve();
        return;
      }
      if (!r || typeof r.then !== "function") {
        T(label, { threw: false, ret: D(r) });
        resolve();
        return;
      }
      var done = false;
      var timer = setTimeout(function () {
        if (done) return;
        done = true;
        T(label, { pending: true });
        resolve();
      }, ms || 500);
      r.then(
        function (v) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          T(label, { resolved: D(v) });
          resolve();
        },
        function (e) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          T(label, { rejected: ERR(e) });
          resolve();
        }
      );
    });
  }
  function CB(label, call, ms) {
    return new Promise(function (resolve) {
      var done = false;
      var timer = null;
      function cb() {
        var rec = { nargs: arguments.length, args: Array.prototype.map.call(arguments, D), lastError: LE() };
        if (done) {
          T(label + ":late", rec);
          return;
        }
        done = true;
        if (timer !== null) clearTimeout(timer);
        T(label, rec);
        resolve();
      }
      var r;
      try {
        r = call(cb);
      } catch (e) {
        if (done) return;
        done = true;
        T(label, { threw: true, error: ERR(e) });
        resolve();
        return;
      }
      if (done) return;
      timer = setTimeout(function () {
        if (done) return;
        done = true;
        T(label, { pending: true, ret: r === undefined ? "undefined" : typeof r });
        resolve();
      }, ms || 500);
    });
  }
  g.T = T;
  g.NS = NS;
  g.ERR = ERR;
  g.PR = PR;
  g.CB = CB;
  g.LE = LE;
  g.D = D;
  g.X = X;
  g.SND = SND;
  g.TRACE_CTX = ctx;
})();

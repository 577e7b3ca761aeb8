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
  g.T = T;
  g.LE = LE;
  g.D = D;
  g.X = X;
  g.SND = SND;
  g.TRACE_CTX = ctx;
})();

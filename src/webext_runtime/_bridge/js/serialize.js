// file: serialize.js — message payloads inside a realm (classic script, no modules).
//
// Defines globalThis.__wxSerialize = {encodeChrome, encodeFirefox, decodeChrome, decodeFirefox,
// structuredClone} and a global structuredClone if the realm has none. The payloads are the same
// strings the Python side (webext_runtime/_core/serialize.py) produces and reads; the wire format
// is described in that module's docstring:
//   chrome  — JSON.stringify text (top-level undefined → "null"); > 64 MiB of UTF-8 refused.
//   firefox — plain JSON when the value needs nothing more, else "~" + JSON of a tagged tree
//             (["u"], ["n",..], ["b",..], ["A",..], ["a",len,k,v..], ["O",k,v..], ["D",ms],
//              ["R",src,flags], ["M",k,v..], ["S",..], ["E",name,msg,stack,hasCause,cause,errors],
//              ["B",base64], ["T",kind,buf,offset,len], ["P",type,value], ["r",index]).
(function (global) {
  "use strict";

  // file: serialize.js — constants
  // Chromium extensions/renderer/api/messaging/messaging_util.cc: MessageFromV8UsingJSON runs
  // v8::JSON::Stringify inside a v8::TryCatch and reports kErrorCouldNotSerialize on any throw
  // (cycles, BigInt, a throwing toJSON or getter) and when the result is "undefined" (a function
  // or Symbol at top level); MessageFromV8 then refuses `message_size > mojom::kMaxMessageBytes`
  // (67108864, extensions/common/mojom/message_port.mojom) where message_size is the UTF-8 length.
  var MAX_BYTES = 64 * 1024 * 1024;
  var ERR_SERIALIZE = "Could not serialize message.";
  var ERR_SIZE = "Message exceeded maximum allowed size of 64MiB.";
  var ERR_FUNCTION = "Function object could not be cloned.";
  var ERR_UNSUPPORTED = "unsupported type for structured data";
  var ERROR_NAMES = {
    Error: 1, EvalError: 1, RangeError: 1, ReferenceError: 1, SyntaxError: 1, TypeError: 1,
    URIError: 1, AggregateError: 1,
  };
  var DOM_CODES = { DataCloneError: 25, InvalidStateError: 11 };
  var hasOwn = Object.prototype.hasOwnProperty;
  var isArray = Array.isArray;
  var objectKeys = Object.keys;
  var objectToString = Object.prototype.toString;

  // file: serialize.js — helpers
  function domError(name, message) {
    if (typeof global.DOMException === "function") {
      try {
        return new global.DOMException(message, name);
      } catch (e) { /* fall through */ }
    }
    var err = new Error(message);
    Object.defineProperty(err, "name", { value: name, writable: true, configurable: true });
    Object.defineProperty(err, "code", { value: DOM_CODES[name] || 0, configurable: true });
    return err;
  }

  // the host counts UTF-8 bytes natively when it offers to (a regex scan of a 60 MiB string
  // takes seconds in QuickJS); the loop below is the fallback
  var hostUtf8Length = typeof global.__wxHost_utf8len === "function" ? global.__wxHost_utf8len : null;
  function utf8Length(s) {
    if (hostUtf8Length !== null) return hostUtf8Length(s);
    if (s.search(/[^\x00-\x7f]/) === -1) return s.length;
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { n += 4; i++; } else n += 3;
      } else n += 3;
    }
    return n;
  }

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  var B64_INDEX = {};
  for (var bi = 0; bi < 64; bi++) B64_INDEX[B64.charAt(bi)] = bi;

  function toBase64(bytes) {
    var out = [];
    var i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out.push(B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63]);
    }
    var rest = bytes.length - i;
    if (rest === 1) {
      var a = bytes[i] << 16;
      out.push(B64[a >> 18] + B64[(a >> 12) & 63] + "==");
    } else if (rest === 2) {
      var b = (bytes[i] << 16) | (bytes[i + 1] << 8);
      out.push(B64[b >> 18] + B64[(b >> 12) & 63] + B64[(b >> 6) & 63] + "=");
    }
    return out.join("");
  }

  function fromBase64(s) {
    var len = s.length;
    var pad = len && s.charAt(len - 1) === "=" ? (s.charAt(len - 2) === "=" ? 2 : 1) : 0;
    var out = new Uint8Array((len / 4) * 3 - pad);
    var o = 0;
    for (var i = 0; i < len; i += 4) {
      var n = (B64_INDEX[s.charAt(i)] << 18) | (B64_INDEX[s.charAt(i + 1)] << 12) |
        ((B64_INDEX[s.charAt(i + 2)] || 0) << 6) | (B64_INDEX[s.charAt(i + 3)] || 0);
      out[o++] = n >> 16;
      if (o < out.length) out[o++] = (n >> 8) & 255;
      if (o < out.length) out[o++] = n & 255;
    }
    return out;
  }

  function typedKind(v) {
    // The constructor's name of a typed array / DataView (own realm), else null.
    if (v instanceof DataView) return "DataView";
    var proto = Object.getPrototypeOf(v);
    while (proto && !hasOwn.call(proto, "BYTES_PER_ELEMENT")) proto = Object.getPrototypeOf(proto);
    return proto && proto.constructor ? proto.constructor.name : null;
  }

  // file: serialize.js — chrome (JSON)
  // encodeChrome(value[, ErrorCtor]): ErrorCtor (default Error) is the class thrown — Port.postMessage
  // throws Error, sendResponse throws TypeError with the same text (observations/chromium-150.md).
  // Note: QuickJS spells a few doubles with more digits than V8's shortest form (2**-24 is
  // "5.9604644775390625e-8" here, "5.960464477539063e-8" in Chrome); both parse to the same number.
  function encodeChrome(value, ErrorCtor) {
    var Ctor = ErrorCtor || Error;
    if (value === undefined) value = null;
    var text;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw new Ctor(ERR_SERIALIZE);
    }
    if (text === undefined) throw new Ctor(ERR_SERIALIZE);
    if (text.length * 3 > MAX_BYTES && (text.length > MAX_BYTES || utf8Length(text) > MAX_BYTES)) {
      throw new Ctor(ERR_SIZE);
    }
    return text;
  }

  function decodeChrome(payload) {
    return JSON.parse(payload);
  }

  // file: serialize.js — firefox (structured clone records)
  function isPlainNumber(v) {
    return v === v && v !== Infinity && v !== -Infinity && !(v === 0 && 1 / v < 0);
  }

  // Pass 1: can the value travel as plain JSON? (no tags, no sharing, no toJSON anywhere)
  // `seen` holds every object visited so far; it is made (holding the top object) only when a
  // nested object shows up, so the usual flat message allocates no Set.
  function visited(v) {
    var seen = new Set();
    seen.add(v);
    return seen;
  }

  function isPlain(v, seen) {
    var t = typeof v;
    if (v === null || t === "string" || t === "boolean") return true;
    if (t === "number") return isPlainNumber(v);
    if (t !== "object") return false;
    if (seen !== null) {
      if (seen.has(v)) return false;
      seen.add(v);
    }
    var i, x;
    if (isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return false;
      var n = v.length;
      for (i = 0; i < n; i++) {
        if (!hasOwn.call(v, i)) return false;
        x = v[i];
        if (x !== null && typeof x === "object" && seen === null) seen = visited(v);
        if (!isPlain(x, seen)) return false;
      }
      return objectKeys(v).length === n;
    }
    var proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      // Class instances are plain too (structured clone drops the prototype), exotic objects not.
      if (objectToString.call(v) !== "[object Object]" || v instanceof Map || v instanceof Set ||
          v instanceof Error || v instanceof RegExp || v instanceof ArrayBuffer ||
          ArrayBuffer.isView(v) || v instanceof Promise) {
        return false;
      }
    }
    if (typeof v.toJSON === "function") return false;
    var keys = objectKeys(v);
    for (i = 0; i < keys.length; i++) {
      x = v[keys[i]];
      if (x !== null && typeof x === "object" && seen === null) seen = visited(v);
      if (!isPlain(x, seen)) return false;
    }
    return true;
  }

  function numberNode(v) {
    if (v !== v) return ["n", "NaN"];
    if (v === Infinity) return ["n", "Infinity"];
    if (v === -Infinity) return ["n", "-Infinity"];
    if (v === 0 && 1 / v < 0) return ["n", "-0"];
    return v;
  }

  function notClonable(name) {
    return domError("DataCloneError", name + " object could not be cloned.");
  }

  // Pass 2: the tagged tree. Object nodes are numbered in pre-order (memo: object → index).
  function Writer() {
    this.memo = new Map();
    this.count = 0;
  }

  Writer.prototype.node = function (v) {
    var t = typeof v;
    if (v === null || t === "string" || t === "boolean") return v;
    if (t === "number") return numberNode(v);
    if (t === "undefined") return ["u"];
    if (t === "bigint") return ["b", String(v)];
    if (t === "function") throw domError("DataCloneError", ERR_FUNCTION);
    if (t !== "object") throw domError("DataCloneError", ERR_UNSUPPORTED); // symbol
    var seen = this.memo.get(v);
    if (seen !== undefined) return ["r", seen];
    this.memo.set(v, this.count++);
    return this.object(v);
  };

  Writer.prototype.entries = function (out, v) {
    var keys = objectKeys(v);
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      out.push(k, this.node(v[k]));
    }
    return out;
  };

  Writer.prototype.object = function (v) {
    var i, out;
    if (isArray(v)) {
      var n = v.length;
      var dense = true;
      for (i = 0; i < n; i++) {
        if (!hasOwn.call(v, i)) { dense = false; break; }
      }
      if (dense && objectKeys(v).length === n) {
        out = ["A"];
        for (i = 0; i < n; i++) out.push(this.node(v[i]));
        return out;
      }
      return this.entries(["a", n], v);
    }
    if (v instanceof Date) {
      var ms = v.getTime();
      return ["D", ms === ms ? ms : null];
    }
    if (v instanceof RegExp) return ["R", v.source, v.flags];
    if (v instanceof Map) {
      out = ["M"];
      var self = this;
      v.forEach(function (val, key) { out.push(self.node(key), self.node(val)); });
      return out;
    }
    if (v instanceof Set) {
      out = ["S"];
      var me = this;
      v.forEach(function (val) { out.push(me.node(val)); });
      return out;
    }
    if (v instanceof Error) {
      var name = typeof v.name === "string" && hasOwn.call(ERROR_NAMES, v.name) ? v.name : "Error";
      var md = Object.getOwnPropertyDescriptor(v, "message");
      var message = md && "value" in md ? String(md.value) : null;
      var stack = typeof v.stack === "string" ? v.stack : null;
      out = ["E", name, message, stack];
      var cd = Object.getOwnPropertyDescriptor(v, "cause");
      var hasCause = !!(cd && "value" in cd);
      if (hasCause || name === "AggregateError") {
        out.push(hasCause ? 1 : 0, hasCause ? this.node(cd.value) : null);
        if (name === "AggregateError") out.push(this.node(v.errors));
      }
      return out;
    }
    if (v instanceof ArrayBuffer) return ["B", toBase64(new Uint8Array(v))];
    if (ArrayBuffer.isView(v)) {
      var kind = typedKind(v);
      var length = kind === "DataView" ? v.byteLength : v.length;
      return ["T", kind, this.node(v.buffer), v.byteOffset, length];
    }
    if (v instanceof Number) return ["P", "Number", numberNode(Number.prototype.valueOf.call(v))];
    if (v instanceof String) return ["P", "String", String.prototype.valueOf.call(v)];
    if (v instanceof Boolean) return ["P", "Boolean", Boolean.prototype.valueOf.call(v)];
    if (typeof BigInt === "function" && v instanceof BigInt) {
      return ["P", "BigInt", String(BigInt.prototype.valueOf.call(v))];
    }
    var refusals = ["Promise", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry"];
    for (i = 0; i < refusals.length; i++) {
      var C = global[refusals[i]];
      if (typeof C === "function" && v instanceof C) throw notClonable(refusals[i]);
    }
    return this.entries(["O"], v);
  };

  function encodeFirefoxValue(value) {
    if (isPlain(value, null)) return JSON.stringify(value);
    return "~" + JSON.stringify(new Writer().node(value));
  }

  function encodeFirefox(value) {
    // runtime.Port.postMessage: a bare Symbol fails before structured clone runs (measured).
    if (typeof value === "symbol") throw domError("InvalidStateError", "An exception was thrown");
    return encodeFirefoxValue(value);
  }

  function defineValue(obj, key, value) {
    if (key === "__proto__") {
      Object.defineProperty(obj, key, {
        value: value, writable: true, enumerable: true, configurable: true,
      });
    } else {
      obj[key] = value;
    }
  }

  function hidden(obj, key, value) {
    Object.defineProperty(obj, key, {
      value: value, writable: true, enumerable: false, configurable: true,
    });
  }

  function Reader() {
    this.refs = [];
  }

  Reader.prototype.node = function (n) {
    if (n === null || typeof n !== "object") return n;
    var refs = this.refs;
    var i, out, at;
    switch (n[0]) {
      case "O":
        out = {};
        refs.push(out);
        for (i = 1; i < n.length; i += 2) defineValue(out, n[i], this.node(n[i + 1]));
        return out;
      case "A":
        out = new Array(n.length - 1);
        refs.push(out);
        for (i = 1; i < n.length; i++) out[i - 1] = this.node(n[i]);
        return out;
      case "u":
        return undefined;
      case "r":
        return refs[n[1]];
      case "n":
        return n[1] === "NaN" ? NaN : n[1] === "Infinity" ? Infinity
          : n[1] === "-Infinity" ? -Infinity : -0;
      case "b":
        return BigInt(n[1]);
      case "a":
        out = new Array(n[1]);
        refs.push(out);
        for (i = 2; i < n.length; i += 2) defineValue(out, n[i], this.node(n[i + 1]));
        return out;
      case "M":
        out = new Map();
        refs.push(out);
        for (i = 1; i < n.length; i += 2) {
          var key = this.node(n[i]);
          out.set(key, this.node(n[i + 1]));
        }
        return out;
      case "S":
        out = new Set();
        refs.push(out);
        for (i = 1; i < n.length; i++) out.add(this.node(n[i]));
        return out;
      case "D":
        out = new Date(n[1] === null ? NaN : n[1]);
        refs.push(out);
        return out;
      case "R":
        out = new RegExp(n[1], n[2]);
        refs.push(out);
        return out;
      case "E": {
        var Ctor = hasOwn.call(ERROR_NAMES, n[1]) && typeof global[n[1]] === "function"
          ? global[n[1]] : Error;
        out = Ctor === global.AggregateError ? new Ctor([]) : new Ctor();
        refs.push(out);
        if (n[2] !== null) hidden(out, "message", n[2]);
        if (n[3] !== null) hidden(out, "stack", n[3]);
        if (n.length > 4 && n[4]) hidden(out, "cause", this.node(n[5]));
        if (n.length > 6) hidden(out, "errors", this.node(n[6]));
        return out;
      }
      case "B":
        out = fromBase64(n[1]).buffer;
        refs.push(out);
        return out;
      case "T": {
        at = refs.length;
        refs.push(null);
        var buffer = this.node(n[2]);
        var TA = global[n[1]];
        out = new TA(buffer, n[3], n[4]);
        refs[at] = out;
        return out;
      }
      case "P": {
        var prim = n[1] === "BigInt" ? BigInt(n[2]) : n[1] === "Number" ? this.node(n[2]) : n[2];
        out = Object(prim);
        refs.push(out);
        return out;
      }
      default:
        throw new TypeError("bad clone record tag " + String(n[0]));
    }
  };

  function decodeFirefox(payload) {
    if (payload.charAt(0) !== "~") return JSON.parse(payload);
    return new Reader().node(JSON.parse(payload.slice(1)));
  }

  function structuredCloneImpl(value) {
    return decodeFirefox(encodeFirefoxValue(value));
  }

  global.__wxSerialize = {
    encodeChrome: encodeChrome,
    decodeChrome: decodeChrome,
    encodeFirefox: encodeFirefox,
    decodeFirefox: decodeFirefox,
    structuredClone: structuredCloneImpl,
    utf8Length: utf8Length,
    MAX_BYTES: MAX_BYTES,
  };
  if (typeof global.structuredClone !== "function") {
    Object.defineProperty(global, "structuredClone", {
      value: structuredCloneImpl, writable: true, enumerable: false, configurable: true,
    });
  }
})(globalThis);

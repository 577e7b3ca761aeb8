// Posts edge values one by one; the ones that cannot be sent throw.
T("cs_start");
const port = chrome.runtime.connect({ name: "json" });
class K { constructor() { this.a = 1; } m() {} }
const cyc = { a: 1 }; cyc.self = cyc;
const values = {
  undefinedMember: { a: undefined, b: 1 },
  undefinedInArray: [1, undefined, 3],
  nan: { n: NaN, i: Infinity, m: -Infinity, z: -0 },
  date: { d: new Date(0) },
  map: { m: new Map([[1, 2]]), s: new Set([1]) },
  holes: [1, , [2, , 3]],
  nestedHoles: { a: [[, 1], [2, ,]] },
  regexpError: { r: /x/g, e: new Error("boom") },
  typed: { t: new Uint8Array([1, 2]) },
  classInstance: new K(),
  toJSON: { toJSON() { return "J"; } },
  functionMember: { f() {}, a: 1 },
  topNull: null,
  topString: "str",
  topNumber: 42,
};
for (const [k, v] of Object.entries(values)) {
  const r = X(() => port.postMessage({ k, v }));
  if (r.threw) T("threw:" + k, r);
}
T("threw:cycle", X(() => port.postMessage({ k: "cycle", v: cyc })));
T("threw:function", X(() => port.postMessage({ k: "function", v: () => 1 })));
T("threw:bigint", X(() => port.postMessage({ k: "bigint", v: 10n })));
T("threw:symbol", X(() => port.postMessage({ k: "symbol", v: Symbol("s") })));
T("undefined_top", X(() => port.postMessage(undefined)));
T("done_posting");

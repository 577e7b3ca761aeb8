// Port names at the edges: empty, unicode, a long one, a NUL, spaces, JSON-looking, digits,
// and names that are not strings.
T("cs_start");
const NAMES = ["", "héllo ✓ 😀", "n".repeat(100000), "nul\u0000byte", "  spaced  ", '{"json":1}', "123", "line\nbreak"];
for (const name of NAMES) {
  const r = X(() => chrome.runtime.connect({ name }).name);
  T("connect", { len: name.length, threw: r.threw, sameName: !r.threw && r.ret.value === name });
}
T("boxed", X(() => chrome.runtime.connect({ name: new String("boxed") })));
T("number", X(() => chrome.runtime.connect({ name: 42 })));
T("object", X(() => chrome.runtime.connect({ name: { toString: () => "obj" } })));
T("symbol", X(() => chrome.runtime.connect({ name: Symbol("s") })));
T("name_undefined", X(() => chrome.runtime.connect({ name: undefined }).name));

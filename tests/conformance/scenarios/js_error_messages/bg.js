// The JS engine's own TypeError / ReferenceError texts for the mistakes extension code makes
// most: calling what is not a function (the missing-API case: hasListeners in Firefox),
// `new` on what is not a constructor, reading or writing a property of undefined / null,
// assigning to a const. Both browsers name the expression in the message; webext-runtime
// must give the same text as the browser its profile follows.
T("bg_start");
const obj = { a: { b: undefined, n: null, f() { return {}; } }, s: "str", num: 5 };
let notFn = 5;
let undef;
const nul = null;
const k = "missing";
const arrow = () => 1;
const cases = {
  member_call: () => obj.a.missing(),
  var_call: () => notFn(),
  undefined_var_call: () => undef(),
  string_key_call: () => obj["a"].missing(),
  computed_call: () => obj.a[k](),
  chained_call: () => obj.a.f().missing(),
  multiline_call: () => obj.a
    .missing(),
  this_call: function () { return this.missing(); }.bind(obj),
  optional_call: () => obj.a?.missing(),
  call_result: () => obj.a.f()(k),
  string_method: () => obj.s.missing(),
  api_missing: () => chrome.runtime.onMessage.noSuchMethod(),
  ctor_member: () => new obj.s(),
  ctor_var: () => new notFn(),
  ctor_arrow: () => new arrow(),
  read_undefined_member: () => obj.a.b.c,
  read_null_member: () => obj.a.n.c,
  read_undefined_var: () => undef.c,
  read_null_var: () => nul.c,
  read_computed: () => undef[k],
  read_index: () => undef[0],
  read_after_call: () => obj.a.f().x.y,
  read_missing_api: () => chrome.noSuchNamespace.connect,
  call_on_undefined_member: () => obj.a.b.c(),
  set_undefined_var: () => { undef.c = 1; },
  set_null_member: () => { obj.a.n.c = 1; },
  const_assign: () => { const c1 = 1; c1 = 2; return c1; },
  not_defined: () => notDeclared + 1,
  call_with_args: () => obj.a.f(1, "x").missing(),
  call_result_args: () => obj.a.f(1)(k),
  read_after_call_args: () => obj.a.f(1).x.y,
  literal_key_read: () => obj.a["b"].c,
  nested_computed_call: () => obj.a[obj.s](),
  non_ascii_before: () => ["été — ok", obj.a.missing()],
  in_arguments: () => String(obj.a.missing()),
  after_await_free: () => (0, obj.a.b)(),
  optional_read: () => obj.a.b?.c.d,
};
for (const name of Object.keys(cases)) T(name, X(cases[name]));

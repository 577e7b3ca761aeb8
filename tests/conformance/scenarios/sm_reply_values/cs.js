T("cs_start");
const KINDS = ["undefined", "null", "nan", "negzero", "date", "map", "holes", "undefined_member", "nested_undefined", "function", "cycle", "bigint"];
(async () => {
  for (const kind of KINDS) await PR(kind, () => NS.runtime.sendMessage({ kind }));
  T("cs_done");
})();

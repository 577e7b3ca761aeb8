// Replies with edge values; unserializable ones throw from sendResponse (then a fallback).
T("bg_start");
const cyc = {};
cyc.self = cyc;
const VALUES = {
  undefined: () => undefined,
  null: () => null,
  nan: () => NaN,
  negzero: () => -0,
  date: () => new Date(0),
  map: () => new Map([[1, 2]]),
  holes: () => [1, , 3],
  undefined_member: () => ({ u: undefined, k: 1 }),
  nested_undefined: () => [undefined, { a: [undefined] }],
  function: () => function () {},
  cycle: () => cyc,
  bigint: () => BigInt(7),
};
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  const r = X(() => sendResponse(VALUES[m.kind]()));
  T("sendResponse:" + m.kind, r);
  if (r.threw) T("fallback:" + m.kind, X(() => sendResponse("fallback")));
  return undefined;
});

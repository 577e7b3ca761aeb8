self.beforeThrow = true;
throw new RangeError("boom in throws.js");

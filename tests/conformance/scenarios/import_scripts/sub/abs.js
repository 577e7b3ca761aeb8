self.fromAbs = typeof self.fromLib + " " + location.pathname;

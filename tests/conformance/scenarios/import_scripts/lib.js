self.libRuns = (self.libRuns || 0) + 1;
self.fromLib = "lib " + self.libRuns;

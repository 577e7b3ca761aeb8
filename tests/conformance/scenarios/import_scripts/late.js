self.lateRan = true;

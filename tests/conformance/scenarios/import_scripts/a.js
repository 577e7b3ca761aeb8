self.order = (self.order || []).concat("a");

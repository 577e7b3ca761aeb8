self.order = (self.order || []).concat("b");

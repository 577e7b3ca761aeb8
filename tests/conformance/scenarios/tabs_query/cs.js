T("cs_start");

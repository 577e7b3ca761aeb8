T("bg_start");

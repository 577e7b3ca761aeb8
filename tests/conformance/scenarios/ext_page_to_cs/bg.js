// The worker has no listeners here.
T("bg_start");

// The worker registers no onConnect listener: a content-script connect has no receiver.
T("bg_start");

// No onConnect here: the receivers are pages a.html and b.html.
T("bg_start");

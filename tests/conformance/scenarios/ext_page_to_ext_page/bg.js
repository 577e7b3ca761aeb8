// No listeners in the worker: the only receiver of b.html's connect and message is a.html.
T("bg_start");

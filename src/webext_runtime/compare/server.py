"""The local test server: scenario pages on 127.0.0.1, and ``POST /__trace`` for reports."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .scenario import Scenario


class TraceServer:
    """Serves the scenario's pages (``Cache-Control: no-store``) and collects TRACE records
    POSTed by the trace helper. Also reachable as ``localhost`` for cross-origin frames."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.records: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.last_record = time.monotonic()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _cors(self) -> None:
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cache-Control", "no-store")

            def do_OPTIONS(self) -> None:
                self.send_response(204)
                self._cors()
                self.send_header("Access-Control-Allow-Headers", "*")
                self.send_header("Access-Control-Allow-Methods", "POST, GET")
                self.end_headers()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                if self.path.startswith("/__trace"):
                    try:
                        rec = json.loads(body)
                    except ValueError:
                        rec = None
                    if isinstance(rec, dict):
                        with server.lock:
                            server.records.append(rec)
                            server.last_record = time.monotonic()
                self.send_response(204)
                self._cors()
                self.end_headers()

            def do_GET(self) -> None:
                if self.path.startswith("/favicon.ico"):
                    self.send_response(204)
                    self._cors()
                    self.end_headers()
                    return
                html = server.scenario.page_html(self.path)
                if html is None:
                    body = b"not found"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                else:
                    body = html.replace("{{PORT}}", str(server.port)).encode("utf-8")
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self._cors()
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def report_url(self) -> str:
        return self.origin + "/__trace"

    def __enter__(self) -> TraceServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def snapshot(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.records)

    def quiet_for(self) -> float:
        with self.lock:
            return time.monotonic() - self.last_record

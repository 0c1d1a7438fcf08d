"""Serve a built site on 127.0.0.1, under the same path prefix as on GitHub Pages.

Used by the browser tests and by scripts/bench_browser.py. A threaded standard-library server
with the MIME types Pyodide needs (``.mjs`` as JavaScript, ``.wasm`` as application/wasm, so
the browser can compile it while it downloads).

``sitemap.xml`` is served with the server's own origin in place of the one in ``site_url``,
as if the site were deployed here: Material's instant navigation only takes over links that
the sitemap lists, and it matches them on scheme, host and port.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import yaml


def _site_path() -> str:
    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text())
    path = urlsplit(config["site_url"]).path
    return path if path.endswith("/") else path + "/"


PREFIX = _site_path()
"""The site's path on GitHub Pages: the path of site_url in mkdocs.yml (a fork's own)."""


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/zip",
        ".zip": "application/zip",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def do_GET(self) -> None:
        if self.path.split("?")[0] == PREFIX + "sitemap.xml":
            self._send_sitemap()
        else:
            super().do_GET()

    def _send_sitemap(self) -> None:
        text = (Path(self.directory) / "sitemap.xml").read_text(encoding="utf-8")
        host, port = self.server.server_address[:2]
        here = f"http://{host}:{port}{PREFIX}"
        body = re.sub(r"https?://[^<>\s]*?" + re.escape(PREFIX), here, text).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        # Everything outside PREFIX is a 404, as on GitHub Pages for a project site.
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__not_found__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextmanager
def serve(site: Path, port: int = 0) -> Iterator[str]:
    """Serve ``site``; yields the base URL (ending in PREFIX). ``port``: 0 for any free one; a
    given one serves another build at the same origin (a service worker's scope)."""
    handler = functools.partial(_Handler, directory=str(site))
    server = _Server(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

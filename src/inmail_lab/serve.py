"""Serve a built site on 127.0.0.1, under the same path prefix as on GitHub Pages.

Used by the browser tests, scripts/bench_browser.py, scripts/bench_network.py and
scripts/screenshots.py. A threaded standard-library server with the MIME types Pyodide needs
(``.mjs`` as JavaScript, ``.wasm`` as application/wasm, so the browser can compile it while it
downloads). ``serve(site, like_a_host=True)`` also sends what a static host such as GitHub Pages
does: text, JavaScript, JSON and WebAssembly gzipped (the archives as they are),
``Cache-Control: max-age=600`` and ETags, so that a measurement sees the bytes a reader gets.

``sitemap.xml`` is served with the server's own origin in place of the one in ``site_url``,
as if the site were deployed here: Material's instant navigation only takes over links that
the sitemap lists, and it matches them on scheme, host and port.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import hashlib
import http.server
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, ClassVar
from urllib.parse import urlsplit

import yaml

from .corpus import ROOT


def _site_path() -> str:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    path = urlsplit(str(config["site_url"])).path
    return path if path.endswith("/") else path + "/"


PREFIX = _site_path()
"""The site's path on GitHub Pages: the path of site_url in mkdocs.yml (a fork's own)."""


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the base class declares it as an instance variable)
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
        address = self.server.server_address
        assert isinstance(address, tuple)  # a TCP server: (host, port)
        host, port = address[0], address[1]
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


GZIPPED = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".bin"}
"""What a static host compresses (zip archives and wheels are sent as they are)."""


class _HostHandler(_Handler):
    """Serves as a static host does: gzip, max-age and ETags (with 304 Not Modified)."""

    gzipped: ClassVar[dict[Path, tuple[bytes, str]]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path.split("?")[0]))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        encoding = None
        if path.suffix in GZIPPED and "gzip" in self.headers.get("Accept-Encoding", ""):
            with self.lock:
                cached = self.gzipped.get(path)
                if cached is None or cached[1] != etag:
                    cached = (gzip.compress(data, 6, mtime=0), etag)
                    self.gzipped[path] = cached
            data, encoding = cached[0], "gzip"
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(path.stat().st_mtime, usegmt=True))
        self.end_headers()
        return io.BytesIO(data)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextmanager
def serve(site: Path, port: int = 0, *, like_a_host: bool = False) -> Iterator[str]:
    """Serve ``site``; yields the base URL (ending in PREFIX). ``port``: 0 for any free one; a
    given one serves another build at the same origin (a service worker's scope).
    ``like_a_host``: gzip, max-age and ETags, as a static host sends them."""
    handler = functools.partial(_HostHandler if like_a_host else _Handler, directory=str(site))
    server = _Server(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

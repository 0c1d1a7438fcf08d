"""MkDocs plugin ``inmail-web``: puts the in-page checker into the built site.

It adds, without writing anything into ``docs/``:

- ``assets/checker/``: the page script, its worker and stylesheet (from ``web/``), and links the
  script and stylesheet into every page (the script does nothing on pages without the
  checker, but it has to be there for Material's instant navigation); on the page that holds
  the checker the script is also loaded from ``<head>``, so the runtime starts downloading
  before the rest of the page has arrived;
- ``assets/pyodide/``: the four Pyodide runtime files the page needs (from
  ``node_modules/pyodide``), the checker wheel and the trimmed ``pyodide-lock.json`` that
  names it with its sha256 (both from ``build/web``, written by ``scripts/build_web.py``).

Paths resolve from the directory of ``mkdocs.yml``. A missing runtime or wheel fails the build
with what to run; a wheel older than ``src/inmail_checker`` is a warning (an error under
``--strict``). ``mkdocs serve`` also watches ``web/`` and ``build/web/``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import zipfile
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from inmail_checker.prefilter import READINGS_FILE

log = logging.getLogger("mkdocs.plugins.inmail-web")

CHECKER_DEST = "assets/checker"
PYODIDE_DEST = "assets/pyodide"
PAGE_SCRIPT = "checker.mjs"
PAGE_STYLES = "checker.css"
# What a browser fetches to start Pyodide; the rest of node_modules/pyodide is for Node,
# TypeScript or the CDN.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_FILE = "pyodide-lock.json"
WEB_SUFFIXES = (".mjs", ".js", ".css")
FIX = "run `make web` (npm ci, then python scripts/build_web.py)"


class InMailWebConfig(Config):
    web_dir = config_options.Type(str, default="web")
    pyodide_dir = config_options.Type(str, default="node_modules/pyodide")
    build_dir = config_options.Type(str, default="build/web")
    package_dir = config_options.Type(str, default="src/inmail_checker")


class InMailWebPlugin(BasePlugin[InMailWebConfig]):
    """Adds the checker's front end, the Pyodide runtime and the checker wheel to the site."""

    def _path(self, config: MkDocsConfig, option: str) -> Path:
        base = Path(config.config_file_path or ".").resolve().parent
        return (base / getattr(self.config, option)).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.web_dir = self._path(config, "web_dir")
        self.pyodide_dir = self._path(config, "pyodide_dir")
        self.build_dir = self._path(config, "build_dir")
        self.package_dir = self._path(config, "package_dir")
        self.web_files = self._web_files()
        self.runtime_files = self._runtime_files()
        self.lock_file, self.wheel = self._wheel()
        self._warn_if_stale()
        script = f"{CHECKER_DEST}/{PAGE_SCRIPT}"
        if script not in [str(entry) for entry in config.extra_javascript]:
            config.extra_javascript.append(_module_script(script, config))
        styles = f"{CHECKER_DEST}/{PAGE_STYLES}"
        if styles not in config.extra_css:
            config.extra_css.append(styles)
        return config

    def _web_files(self) -> list[Path]:
        files = sorted(
            path
            for path in self.web_dir.glob("*")
            if path.is_file() and path.suffix in WEB_SUFFIXES
        )
        names = {path.name for path in files}
        missing = {PAGE_SCRIPT, PAGE_STYLES} - names
        if missing:
            raise PluginError(f"inmail-web: {self.web_dir} lacks {', '.join(sorted(missing))}")
        return files

    def _runtime_files(self) -> list[Path]:
        missing = [name for name in RUNTIME_FILES if not (self.pyodide_dir / name).is_file()]
        if missing:
            raise PluginError(
                f"inmail-web: the Pyodide runtime is missing from {self.pyodide_dir} "
                f"({', '.join(missing)}): {FIX}"
            )
        return [self.pyodide_dir / name for name in RUNTIME_FILES]

    def _wheel(self) -> tuple[Path, Path]:
        lock_path = self.build_dir / LOCK_FILE
        if not lock_path.is_file():
            raise PluginError(f"inmail-web: {lock_path} is missing: {FIX}")
        try:
            lock = json.loads(lock_path.read_text(encoding="utf-8"))
            (entry,) = lock["packages"].values()
            wheel = self.build_dir / entry["file_name"]
            expected = entry["sha256"]
        except (ValueError, KeyError, TypeError) as error:
            raise PluginError(
                f"inmail-web: {lock_path} is not the lock file expected: {FIX}"
            ) from error
        if not wheel.is_file():
            raise PluginError(f"inmail-web: {wheel} is missing: {FIX}")
        if hashlib.sha256(wheel.read_bytes()).hexdigest() != expected:
            raise PluginError(
                f"inmail-web: {wheel.name} does not match its sha256 in {lock_path}: {FIX}"
            )
        runtime_lock = self.pyodide_dir / LOCK_FILE
        if runtime_lock.is_file():
            runtime_info = json.loads(runtime_lock.read_text(encoding="utf-8")).get("info")
            if lock.get("info") != runtime_info:
                raise PluginError(f"inmail-web: {lock_path} was made for another Pyodide: {FIX}")
        return lock_path, wheel

    def _warn_if_stale(self) -> None:
        """Warns when the wheel differs from src/inmail_checker: the site would run old rules."""
        if not self.package_dir.is_dir():
            return
        prefix = self.package_dir.name + "/"
        with zipfile.ZipFile(self.wheel) as archive:
            record_name = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
            record = archive.read(record_name).decode("utf-8")
        shipped = {}
        for line in record.splitlines():
            name, digest, _ = line.rsplit(",", 2)
            # The pattern readings are worked out by the build, not kept in the sources.
            if name.startswith(prefix) and name != prefix + READINGS_FILE:
                shipped[name[len(prefix) :]] = digest
        current = {
            path.relative_to(self.package_dir).as_posix(): _record_digest(path.read_bytes())
            for path in self.package_dir.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        }
        if shipped != current:
            changed = sorted(set(shipped.items()) ^ set(current.items()))
            names = sorted({name for name, _ in changed})
            log.warning(
                "inmail-web: %s is older than %s (%s): %s",
                self.wheel.name,
                self.package_dir,
                ", ".join(names[:5]) + (" …" if len(names) > 5 else ""),
                FIX,
            )

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path in self.web_files:
            _add(files, config, f"{CHECKER_DEST}/{path.name}", path)
        for path in [*self.runtime_files, self.lock_file, self.wheel]:
            _add(files, config, f"{PYODIDE_DEST}/{path.name}", path)
        return files

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """On the checker's page, start loading the checker from <head>, not after the page."""
        if 'id="inmail-checker"' not in output or "</head>" not in output:
            return output
        src = get_relative_url(f"{CHECKER_DEST}/{PAGE_SCRIPT}", page.url)
        tag = f'<script type="module" async data-inmail-start src="{src}"></script>\n'
        return output.replace("</head>", tag + "</head>", 1)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(str(self.web_dir))
        server.watch(str(self.build_dir))
        return server


def _module_script(path: str, config: MkDocsConfig) -> object:
    """An extra_javascript entry loaded as a module (what MkDocs makes of a ``.mjs`` path)."""
    from mkdocs.config.config_options import ExtraScriptValue

    value = ExtraScriptValue(path, config_file_path=config.config_file_path)
    value.type = "module"
    return value


def _record_digest(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _add(files: Files, config: MkDocsConfig, dest: str, source: Path) -> None:
    existing = files.get_file_from_path(dest)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, dest, abs_src_path=str(source)))

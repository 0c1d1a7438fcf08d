"""Build the guide somewhere else than the repository: for the tests and the benchmarks.

:func:`build_site` copies ``docs/`` into a working folder, writes the checker's runtime into
that copy (what ``make web`` writes into ``docs/assets/checker/runtime/``), and runs
``mkdocs build --strict`` (or ``zensical build --strict``: ``builder="zensical"``) with a copy of
``mkdocs.yml`` pointed at it, from yet another folder: nothing is written into the repository,
and the build cannot depend on the working directory.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from inmail_guide.webbuild import OUTPUT, ROOT, build

BUILDERS = ("mkdocs", "zensical")
"""The site builders the guide builds with: Material for MkDocs (the default) and Zensical."""


def build_site(folder: Path, runtime: Path | None = None, builder: str = "mkdocs") -> Path:
    """Build the site into ``folder / "site"`` with ``builder`` (one of :data:`BUILDERS`) and
    return that path. ``runtime``: a folder :func:`inmail_guide.webbuild.build` already wrote,
    copied instead of building again."""
    if builder not in BUILDERS:
        raise ValueError(f"unknown site builder {builder!r}: one of {', '.join(BUILDERS)}")
    docs = folder / "docs"
    shutil.copytree(
        ROOT / "docs", docs, ignore=lambda where, names: names if Path(where) == OUTPUT else []
    )
    target = docs / OUTPUT.relative_to(ROOT / "docs")
    if runtime is None:
        build(target)
    else:
        shutil.copytree(runtime, target, dirs_exist_ok=True)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    # Relative to the configuration file, as both builders read them (Zensical 0.0.73 stops on
    # an absolute docs_dir).
    config["docs_dir"] = docs.name
    config["site_dir"] = "site"
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    elsewhere = folder / "cwd"
    elsewhere.mkdir()
    command = [
        sys.executable,
        "-m",
        builder,
        "build",
        "--strict",
        "--config-file",
        str(config_file),
    ]
    result = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{builder} build --strict failed:\n{result.stdout}\n{result.stderr}")
    return folder / "site"

"""Build the guide somewhere else than the repository: for the tests and the benchmarks.

:func:`build_site` copies ``docs/`` into a working folder, writes the checker's runtime into
that copy (what ``make web`` writes into ``docs/assets/checker/runtime/``), and runs
``mkdocs build --strict`` with a copy of ``mkdocs.yml`` pointed at it, from yet another folder:
nothing is written into the repository, and the build cannot depend on the working directory.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from inmail_guide.webbuild import OUTPUT, ROOT, build


def build_site(folder: Path, runtime: Path | None = None, builder: str = "mkdocs") -> Path:
    """Build the site into ``folder / "site"`` and return that path. ``runtime``: a folder
    :func:`inmail_guide.webbuild.build` already wrote, copied instead of building again."""
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
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(folder / "site")
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

"""The GitHub Actions workflows: actionlint finds nothing, the site is deployed and the package
published only after the CI jobs passed, and the library is tested on every Python it claims."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent


def _workflow(name: str) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _needs(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


@pytest.mark.build
def test_actionlint_finds_nothing() -> None:
    actionlint = BIN / "actionlint"
    assert actionlint.is_file(), "actionlint is missing: run `make setup`"
    command = [
        str(actionlint),
        f"-shellcheck={BIN / 'shellcheck'}",
        f"-pyflakes={BIN / 'pyflakes'}",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_on_pushes_and_pull_requests_and_can_be_called() -> None:
    ci = _workflow("ci.yml")
    assert {"push", "pull_request", "workflow_call"} <= set(ci["on"])
    assert {"lint", "test", "browser", "library"} <= set(ci["jobs"])
    browser_steps = " ".join(str(step.get("run", "")) for step in ci["jobs"]["browser"]["steps"])
    assert "pytest -m browser" in browser_steps
    assert ci["jobs"]["browser"]["env"]["INMAIL_BROWSER"] == "/usr/bin/chromium"


def test_the_library_matrix_covers_every_python_the_package_claims() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    claimed = sorted(
        classifier.rsplit(" :: ", 1)[1]
        for classifier in project["classifiers"]
        if classifier.startswith("Programming Language :: Python :: 3.")
    )
    matrix = _workflow("ci.yml")["jobs"]["library"]["strategy"]["matrix"]["python"]
    assert matrix == claimed == ["3.11", "3.12", "3.13", "3.14"]
    assert project["requires-python"] == f">={matrix[0]}"


@pytest.mark.parametrize("name", ["pages.yml", "release.yml"])
def test_deploy_and_publish_wait_for_the_ci_jobs_of_the_same_run(name: str) -> None:
    workflow = _workflow(name)
    jobs = workflow["jobs"]
    assert jobs["ci"]["uses"] == "./.github/workflows/ci.yml"
    # Every other job depends, directly or not, on the ci job.
    for job_name in jobs:
        if job_name == "ci":
            continue
        seen, todo = set(), _needs(jobs[job_name])
        while todo:
            need = todo.pop()
            if need not in seen:
                seen.add(need)
                todo += _needs(jobs[need])
        assert "ci" in seen, f"{name}: job {job_name} does not wait for the ci job"


def test_pages_deploys_from_main_only() -> None:
    pages = _workflow("pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    assert _workflow("ci.yml")["on"]["push"]["branches-ignore"] == ["main"]


def test_release_publishes_to_pypi_by_trusted_publishing_on_a_version_tag() -> None:
    release = _workflow("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    publish = release["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    step = next(s for s in publish["steps"] if "gh-action-pypi-publish" in s.get("uses", ""))
    assert "password" not in step.get("with", {}), "trusted publishing needs no token"

"""The documentation site builds with ``mkdocs build --strict``, and fails to build
when a page links nowhere or the navigation names a page that does not exist."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip(
    "mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')"
)
pytest.importorskip("mkdocstrings", reason="the docs extra is not installed")
pytest.importorskip("latex2mathml", reason="the docs extra is not installed")
pytest.importorskip("matplotlib", reason="the figures need the plot extra")


def _build(root, tmp_path):
    # not -q: mkdocs counts only the warnings it logs, so -q would hide them from
    # --strict
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-d",
            str(tmp_path / "site"),
        ],
        cwd=root,
        # the copied tree has no packages of its own: the hooks import this checkout's
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_project(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs_hooks", root / "docs_hooks")
    return root


def test_the_site_builds_strictly_with_every_page_and_the_api_reference(tmp_path):
    out = _build(ROOT, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    site = tmp_path / "site"
    for page in (ROOT / "docs").rglob("*.md"):
        rel = page.relative_to(ROOT / "docs").with_suffix("")
        built = site / ("index.html" if rel.name == "index" else rel / "index.html")
        assert built.exists(), f"{page} is not in the site"
    api = (site / "api" / "symdiff" / "index.html").read_text()
    assert "Gradient of a scalar expression" in api  # grad's docstring, rendered
    page = (site / "printing_and_parsing" / "index.html").read_text()
    assert "<math" in page and "$x^" not in page  # $x^\top A x$ became MathML
    figures = ("tangent", "normal", "lln", "clt", "clt_binomial", "covariance")
    for figure in (*figures, "coin_loglik", "score_hist"):
        png = site / "figures" / f"{figure}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # drawn at build time
    cli = (site / "cli" / "index.html").read_text()
    assert "<math" not in cli and '">$ </span>symdiff' in cli  # prompts stay dollars


def test_a_broken_link_fails_the_build(tmp_path):
    root = _copy_project(tmp_path)
    page = root / "docs" / "expressions.md"
    page.write_text(page.read_text() + "\nSee [nowhere](no_such_page.md).\n")
    out = _build(root, tmp_path)
    assert out.returncode != 0 and "no_such_page.md" in out.stdout + out.stderr


def test_a_missing_page_in_the_navigation_fails_the_build(tmp_path):
    root = _copy_project(tmp_path)
    (root / "docs" / "gradcheck.md").unlink()
    out = _build(root, tmp_path)
    assert out.returncode != 0 and "gradcheck.md" in out.stdout + out.stderr

"""NLTK resources: missing and refused told apart, one line each, and `framing setup` never downloads into a refused folder.

NLTK 3.10 (``nltk.data.find`` and ``nltk.pathsec``) skips a data folder that is group- or
world-writable or owned by another account, and opens no data file with more than one hard link.
These tests build such folders from a copy of the NLTK data in ``$NLTK_DATA`` and point NLTK's
search path at them alone.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import nltk
import pytest

from framing.resources import (
    MissingResourceError,
    RefusedResourceError,
    ensure_nltk_resources,
    nltk_download_dir,
    nltk_resource,
    nltk_status,
)

pytestmark = pytest.mark.nltk


@pytest.fixture
def nltk_copy(tmp_path) -> Path:
    """A private copy of the NLTK data (skips without $NLTK_DATA)."""
    source = os.environ.get("NLTK_DATA", "").split(os.pathsep)[0]
    if not source or not Path(source).is_dir():
        pytest.skip("NLTK_DATA is not set: the NLTK data is needed to copy")
    copy = tmp_path / "nltk_data"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("SOURCE.md"))
    for folder, dirs, files in os.walk(copy):
        for name in dirs + files:
            os.chmod(Path(folder) / name, 0o755 if name in dirs else 0o644)
    os.chmod(copy, 0o755)
    return copy


@pytest.fixture
def search_path(monkeypatch):
    """Set NLTK's search path for the test: ``search_path(folder, ...)``."""
    def set_path(*folders):
        monkeypatch.setattr(nltk.data, "path", [str(f) for f in folders])
    return set_path


def _chmod_tree(root: Path, add: int) -> None:
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            os.chmod(path, stat.S_IMODE(path.stat().st_mode) | add)
    os.chmod(root, stat.S_IMODE(root.stat().st_mode) | add)


def test_a_missing_resource_names_the_folders_and_the_install_command_with_its_folder(tmp_path, search_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    search_path(empty)
    assert nltk_status("punkt_tab").state == "missing"
    with pytest.raises(MissingResourceError) as caught:
        nltk_resource("punkt_tab")
    message = str(caught.value)
    assert "\n" not in message and str(empty) in message
    assert f"python -m nltk.downloader -d {empty} punkt_tab" in message


def test_a_group_writable_folder_is_refused_not_missing(nltk_copy, search_path):
    search_path(nltk_copy)
    assert nltk_resource("punkt_tab")  # the private copy is read
    _chmod_tree(nltk_copy, stat.S_IWGRP)
    search_path(nltk_copy)
    with pytest.raises(RefusedResourceError) as caught:
        nltk_resource("punkt_tab")
    message = str(caught.value)
    assert message == (f"NLTK resource 'punkt_tab' is in {nltk_copy}, but NLTK refuses to read it: "
                       f"{nltk_copy} is group-writable; fix: chmod -R go-w {nltk_copy}")
    # the fix it names works
    for folder, dirs, files in os.walk(nltk_copy):
        for name in dirs + files:
            path = Path(folder) / name
            os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
    os.chmod(nltk_copy, 0o755)
    assert nltk_status("punkt_tab").state == "ok"


def test_one_world_writable_file_inside_the_resource_is_named(nltk_copy, search_path):
    weights = nltk_copy / "taggers" / "averaged_perceptron_tagger_eng" / "averaged_perceptron_tagger_eng.weights.json"
    os.chmod(weights, 0o666)
    search_path(nltk_copy)
    status = nltk_status("averaged_perceptron_tagger_eng")
    assert status.state == "refused" and f"{weights} is world-writable" in str(status.error)
    assert nltk_status("punkt_tab").state == "ok"  # the other resources of the folder are read


def test_a_hard_linked_copy_is_refused_with_the_copy_fix_not_a_permission_traceback(nltk_copy, tmp_path, search_path):
    linked = tmp_path / "linked"
    shutil.copytree(nltk_copy, linked, copy_function=os.link)  # as `cp -al` does
    search_path(linked)
    with pytest.raises(RefusedResourceError) as caught:
        nltk_resource("punkt_tab")
    message = str(caught.value)
    assert message.startswith(f"NLTK resource 'punkt_tab' is in {linked}, but NLTK refuses to read it: ")
    assert "has 2 hard links" in message and f"cp -r {linked} {linked}.copy" in message and "\n" not in message
    # the segmenter reports it the same way (NLTK itself raised PermissionError before)
    from framing.text import _punkt

    _punkt.cache_clear()
    try:
        with pytest.raises(RefusedResourceError):
            _punkt()
    finally:
        _punkt.cache_clear()


def test_setup_never_downloads_into_a_refused_folder(nltk_copy, tmp_path, search_path, monkeypatch, capsys):
    from framing.cli import main

    refused = nltk_copy
    shutil.rmtree(refused / "corpora" / "stopwords")  # missing; the others are present but refused
    _chmod_tree(refused, stat.S_IWGRP)
    own = tmp_path / "own_nltk_data"  # does not exist yet: the downloader would create it
    search_path(refused, own)
    downloads = []
    monkeypatch.setattr(nltk, "download", lambda name, download_dir=None, **kw: downloads.append((name, download_dir)))
    assert nltk_download_dir() == own
    assert main(["setup"]) == 1
    # only the missing resource is downloaded, and into the folder NLTK will read
    assert downloads == [("stopwords", str(own))]
    out, err = capsys.readouterr()
    assert "  refused  punkt_tab" in out and "  missing  stopwords" in out
    assert f"chmod -R go-w {refused}" in err and "offline" not in err
    assert f"python -m nltk.downloader -d {own} stopwords" in err


def test_setup_says_why_a_download_failed(tmp_path, search_path, monkeypatch, capsys):
    from framing.cli import main

    own = tmp_path / "own"
    search_path(own)

    def offline(name, **kw):
        raise OSError("<urlopen error [Errno -3] Temporary failure in name resolution>")

    monkeypatch.setattr(nltk, "download", offline)
    report = ensure_nltk_resources()
    assert set(report.download_errors) == {"punkt_tab", "averaged_perceptron_tagger_eng", "stopwords", "vader_lexicon"}
    assert main(["setup"]) == 1
    err = capsys.readouterr().err
    assert f"could not download 'punkt_tab' into {own}: <urlopen error" in err

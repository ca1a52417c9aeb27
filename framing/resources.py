"""Where the toolkit finds its external resources: NLTK data, corpora, lexicons, caches.

NLTK looks in ``$NLTK_DATA`` first, then its default folders. Every NLTK
resource the toolkit needs is listed in :data:`NLTK_RESOURCES`. A resource can
be unusable in two ways, told apart here because the fixes differ:

- *missing*: in no folder of NLTK's search path
  (:class:`MissingResourceError`; fix: download it, ``-d`` a folder NLTK reads);
- *refused*: present, but NLTK 3.10's path security will not read it
  (:class:`RefusedResourceError`): ``nltk.data.find`` skips a data folder
  that an account other than yours (or root) owns or that is group- or
  world-writable, down to every file of the resource (fix: ``chmod -R go-w``);
  and NLTK opens no data file that has more than one hard link, such as a
  copy made with ``cp -l`` or ``rsync --link-dest``, whose original is then
  refused too (fix: a copy without hard links).

Each error is one line naming the resource, the folder and the fix.
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import sys
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from framing.errors import UserError

#: NLTK package name -> the path ``nltk.data.find`` looks up.
NLTK_RESOURCES: dict[str, str] = {
    "punkt_tab": "tokenizers/punkt_tab/english/",
    "averaged_perceptron_tagger_eng": "taggers/averaged_perceptron_tagger_eng/",
    "stopwords": "corpora/stopwords",
    "vader_lexicon": "sentiment/vader_lexicon.zip",
}

#: The project checkout (holds ``conf/``, ``data/``, ``experiments/``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class MissingResourceError(UserError, LookupError):
    """An NLTK resource the toolkit needs is in no folder NLTK searches."""

    def __init__(self, name: str) -> None:
        import nltk

        self.name = name
        searched = ", ".join(str(p) for p in nltk.data.path)
        target = nltk_download_dir()
        install = (f"install it with `python -m nltk.downloader -d {target} {name}` (or `framing setup`)"
                   if target is not None else
                   "no folder NLTK searches can take a download (see `framing setup`): set NLTK_DATA to a folder of yours")
        super().__init__(f"NLTK resource {name!r} not found in NLTK's folders ({searched}): {install}, "
                         "or point NLTK_DATA at a folder that has it")


class RefusedResourceError(UserError, LookupError):
    """An NLTK resource is installed, but NLTK refuses to read it (its path security)."""

    def __init__(self, name: str, folder: Path, reason: str, fix: str) -> None:
        self.name, self.folder, self.reason, self.fix = name, folder, reason, fix
        super().__init__(f"NLTK resource {name!r} is in {folder}, but NLTK refuses to read it: {reason}; fix: {fix}")


@dataclass(frozen=True)
class ResourceStatus:
    """What :func:`nltk_status` found for one resource.

    Parameters
    ----------
    name : str
    state : {"ok", "missing", "refused"}
    path : str or None
        Where NLTK found it (``ok``).
    error : MissingResourceError or RefusedResourceError or None
        The error a use of the resource raises (its message says what to do).
    """

    name: str
    state: str
    path: str | None = None
    error: UserError | None = None


def _not_private(path: Path, st: os.stat_result | None = None) -> str | None:
    """Why NLTK's path security distrusts ``path`` (another owner, group/world write bit), or None."""
    st = st or os.lstat(path)
    if st.st_uid not in (os.geteuid(), 0):
        return f"{path} is owned by uid {st.st_uid}, not by you (uid {os.geteuid()}) or root"
    if st.st_mode & stat.S_IWOTH:
        return f"{path} is world-writable"
    if st.st_mode & stat.S_IWGRP:
        return f"{path} is group-writable"
    return None


def _installed_at(root: Path, resource: str) -> Path | None:
    """The resource's file or folder under a data folder (or the package's zip), if present."""
    candidates = [root / resource.rstrip("/")]
    parts = [p for p in resource.split("/") if p]
    if ".zip" not in resource and len(parts) >= 2:
        candidates.append(root / parts[0] / f"{parts[1]}.zip")
    return next((c for c in candidates if c.exists()), None)


def _why_refused(root: Path, found: Path) -> str | None:
    """The first directory or file from ``root`` down to (and under) ``found`` NLTK distrusts."""
    try:
        chain = [root, *[root / Path(*found.relative_to(root).parts[:i + 1])
                         for i in range(len(found.relative_to(root).parts))]]
    except ValueError:
        chain = [root, found]
    for path in chain:
        reason = _not_private(path)
        if reason:
            return reason
    if found.is_dir():
        for folder, dirs, files in os.walk(found):
            for entry in dirs + files:
                reason = _not_private(Path(folder) / entry)
                if reason:
                    return reason
    return None


def _refused_hard_link(name: str, pointer) -> RefusedResourceError | None:
    """A refusal when NLTK will not open a hard-linked file of the found resource (asked through NLTK itself)."""
    from nltk.data import FileSystemPathPointer

    found = Path(str(getattr(pointer, "path", pointer)))
    files = [found] if found.is_file() else [Path(d) / f for d, _, fs in os.walk(found) for f in fs]
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_nlink < 2:
            continue
        try:
            FileSystemPathPointer(str(path)).open().close()
        except PermissionError:
            root = _data_root_of(path)
            return RefusedResourceError(
                name, root, f"{path} has {st.st_nlink} hard links, and NLTK opens no hard-linked data file",
                f"replace {root} by a copy without hard links (cp -r {root} {root}.copy, then point NLTK_DATA at the "
                "copy; not cp -l or rsync --link-dest, and the original, whose files have the same links, is refused too)",
            )
        except OSError:
            continue
    return None


def _data_root_of(path: Path) -> Path:
    import nltk

    for entry in nltk.data.path:
        root = Path(entry)
        if root in path.parents:
            return root
    return path.parent


def nltk_status(name: str) -> ResourceStatus:
    """Whether NLTK can use one resource: ok, missing, or refused (and why).

    Parameters
    ----------
    name : str
        A key of :data:`NLTK_RESOURCES`.

    Returns
    -------
    ResourceStatus
    """
    import warnings

    import nltk

    resource = NLTK_RESOURCES[name]
    try:
        with warnings.catch_warnings():
            # NLTK warns about each folder it refuses; the status says it in one line instead
            warnings.filterwarnings("ignore", message="NLTK will not read", category=RuntimeWarning)
            pointer = nltk.data.find(resource)
    except LookupError:
        for entry in nltk.data.path:
            root = Path(entry)
            found = _installed_at(root, resource) if root.is_dir() else None
            if found is not None:
                reason = _why_refused(root, found) or "NLTK's path security skips this folder (see its warning)"
                fix = (f"chmod -R go-w {root}" if "writable" in reason else
                       f"copy it into a folder of your own (cp -r {root} ~/nltk_data) and point NLTK_DATA there")
                return ResourceStatus(name, "refused", error=RefusedResourceError(name, root, reason, fix))
        return ResourceStatus(name, "missing", error=MissingResourceError(name))
    refused = _refused_hard_link(name, pointer)
    if refused is not None:
        return ResourceStatus(name, "refused", error=refused)
    return ResourceStatus(name, "ok", path=str(pointer))


def nltk_resource(name: str) -> str:
    """Path of an installed NLTK resource that NLTK will read.

    Parameters
    ----------
    name : str
        A key of :data:`NLTK_RESOURCES`.

    Returns
    -------
    str
        What ``nltk.data.find`` returned.

    Raises
    ------
    MissingResourceError
        If it is in no folder NLTK searches (the message gives the install command).
    RefusedResourceError
        If it is installed but NLTK refuses to read it (the message names the folder and the fix).
    """
    status = nltk_status(name)
    if status.error is not None:
        raise status.error
    return status.path


def missing_nltk_resources() -> list[str]:
    """Names of the :data:`NLTK_RESOURCES` NLTK cannot use (missing or refused)."""
    return [name for name in NLTK_RESOURCES if nltk_status(name).state != "ok"]


def nltk_download_dir() -> Path | None:
    """Where a download would be read: the first folder of NLTK's search path that NLTK trusts and you can write.

    A folder that does not exist yet counts when its nearest existing parent
    is writable (the downloader creates it, private by default). A folder
    NLTK refuses (group- or world-writable, another owner) never counts: a
    download there would never be read.

    Returns
    -------
    Path or None
        None when no folder qualifies.
    """
    import nltk

    for entry in nltk.data.path:
        folder = Path(entry)
        if folder.suffix == ".zip":
            continue
        if folder.exists():
            if folder.is_dir() and _not_private(folder) is None and os.access(folder, os.W_OK | os.X_OK):
                return folder
            continue
        parent = next((p for p in folder.parents if p.exists()), None)
        if parent is not None and os.access(parent, os.W_OK | os.X_OK):
            return folder
    return None


@dataclass
class SetupReport:
    """What :func:`ensure_nltk_resources` did.

    Parameters
    ----------
    statuses : dict of str to ResourceStatus
        Every resource, afterwards.
    download_errors : dict of str to str
        Why a resource's download failed.
    download_dir : Path or None
        Where missing resources go (:func:`nltk_download_dir`).
    """

    statuses: dict[str, ResourceStatus]
    download_errors: dict[str, str]
    download_dir: Path | None


def ensure_nltk_resources(download: bool = True) -> SetupReport:
    """Check the NLTK resources and download the missing ones.

    A refused resource is not downloaded again (a second copy elsewhere
    would leave the permission problem, and NLTK's warning about it, in
    place): its status names the fix. Missing ones are downloaded into
    :func:`nltk_download_dir`, never into a folder NLTK refuses.

    Parameters
    ----------
    download : bool, default True
        Try ``nltk.download`` for each missing resource (needs the internet).

    Returns
    -------
    SetupReport
    """
    statuses = {name: nltk_status(name) for name in NLTK_RESOURCES}
    missing = [name for name, st in statuses.items() if st.state == "missing"]
    target = nltk_download_dir()
    errors: dict[str, str] = {}
    if missing and download and target is not None:
        import nltk

        for name in missing:
            try:
                nltk.download(name, download_dir=str(target), quiet=True, raise_on_error=True)
            except Exception as exc:  # offline, proxy, a folder it cannot write...
                errors[name] = " ".join(str(exc).split()) or type(exc).__name__
        statuses.update({name: nltk_status(name) for name in missing})
    return SetupReport(statuses, errors, target)


def launch_dir() -> Path:
    """The folder the command was started in.

    Inside a Hydra job this is Hydra's ``runtime.cwd``: with
    ``hydra.job.chdir=true`` the job itself runs in its output folder, where
    a relative path the user gave would point nowhere. Hydra is only asked
    when the process has imported it (a Hydra app); elsewhere the working directory.
    """
    hydra_config = sys.modules.get("hydra.core.hydra_config")
    if hydra_config is not None:
        try:
            return Path(hydra_config.HydraConfig.get().runtime.cwd)
        except (ValueError, AttributeError):  # no Hydra job is running
            pass
    return Path.cwd()


def console_script(name: str) -> str:
    """How to call a command of this Python environment from the launch folder, as the user's shell would.

    ``make run`` calls ``.venv/bin/framing-experiment`` without activating
    the environment, so a bare ``mlflow`` in what the run prints would find no
    command (or another environment's). This gives the bare name when the
    shell's ``PATH`` finds this environment's own script, else its path:
    relative to the launch folder when inside it (``.venv/bin/mlflow``),
    absolute otherwise.

    Parameters
    ----------
    name : str
        A console script installed beside the running interpreter (``mlflow``).

    Returns
    -------
    str
        The bare name, or a path to the script (the bare name when there is no such script).
    """
    import shutil

    script = Path(sys.executable).parent / name  # the environment's bin/ (its python may be a symlink)
    if not script.exists():
        return name
    found = shutil.which(name)
    if found and Path(found).resolve() == script.resolve():
        return name
    try:
        return str(script.relative_to(launch_dir()))
    except ValueError:
        return str(script)


def user_path(path: str | os.PathLike | None) -> Path | None:
    """A path the user gave (config value, environment variable, option), made absolute.

    ``~`` is expanded, and a relative path is taken from :func:`launch_dir`,
    where the user typed it, whatever folder the job runs in.

    Parameters
    ----------
    path : str or path-like or None

    Returns
    -------
    Path or None
        None for None.
    """
    if path is None:
        return None
    path = Path(path).expanduser()
    return path if path.is_absolute() else launch_dir() / path


def data_root() -> Path:
    """The corpora folder: ``$FRAMING_DATA`` (relative to the launch folder), else the project's ``data/``."""
    env = os.environ.get("FRAMING_DATA")
    return user_path(env).resolve() if env else PROJECT_ROOT / "data"


def cache_dir() -> Path | None:
    """Folder for on-disk caches: ``$FRAMING_CACHE``, else ``~/.cache/framing``.

    ``FRAMING_CACHE=off`` disables disk caching (returns ``None``).
    """
    env = os.environ.get("FRAMING_CACHE")
    if env is not None and env.strip().lower() in {"off", "none", "0", ""}:
        return None
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "framing"


@cache
def package_lexicon_dir() -> Path:
    """The project's own lexicons (``framing/lexicons/``)."""
    return Path(__file__).resolve().parent / "lexicons"


def connect_cache(path: Path, timeout: float = 60.0) -> sqlite3.Connection:
    """Open an on-disk cache database that concurrent jobs share (annotations, embeddings).

    Parameters
    ----------
    path : Path
        The SQLite file; created when absent.
    timeout : float
        Seconds to wait for another job's lock (SQLite's busy timeout), default 60.

    Returns
    -------
    sqlite3.Connection
        In WAL mode: readers never wait for a writer, and writers wait up to ``timeout``.

    Raises
    ------
    sqlite3.OperationalError
        When the database stays locked for longer than ``timeout``.

    Notes
    -----
    Switching a new database to WAL needs an exclusive lock that SQLite does not
    wait for through its busy timeout, so two jobs opening one new cache at once
    would see "database is locked": the switch is retried with jitter instead.
    """
    con = sqlite3.connect(path, timeout=timeout)
    deadline = time.monotonic() + timeout
    while True:
        try:
            con.execute("PRAGMA journal_mode=WAL")
            return con
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                con.close()
                raise
            time.sleep(0.02 + random.random() * 0.08)

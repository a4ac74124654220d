"""The one loader of project files that the build keeps between builds: parsed again only when the bytes change.

``mkdocs serve`` rebuilds in the same process, so the package's modules and their module-level caches outlive
a build (MkDocs also caches the hook modules per process). A cache keyed by the path alone goes stale when an
editor saves the file (issue 18: ``data/strings.yml`` edited under serve); a cache cleared at every build
parses the same files again for every language. Here a file is parsed only when its bytes differ from the
last parse; a result computed from several files is kept under a digest of their contents (``memo``). Neither
depends on the clock's resolution: an edit within the same second as the last build is seen. Parsed values
are shared: callers must not change them. A parser that raises caches nothing, so a broken file fails every
build until it is fixed.

``load`` is called for every page and string (data/strings.yml about a thousand times a build), so it does
not read the file again when that cannot find anything new (``_SETTLED``, as git does for its index): the
file's status (inode, size, modification and change times) is the same as when its bytes were read, and
its last change was at least two seconds before that. Every write sets the change time (ctime; no program
can set it back) to the clock's time of the write: a write after the bytes were read changes the status.
Only a change within two seconds before the read could share the status of what was read; such a file is
read again on every call, as before, until its change is that old.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from tyouramentorointi.core import loading

T = TypeVar("T")

# (resolved path, parser) -> (the bytes parsed, the result, the file's status when they were read, or None
# when that status does not tell whether the file changed: see _status)
_parsed: dict[tuple[str, Callable[..., Any]], tuple[bytes, Any, tuple[int, ...] | None]] = {}
_SETTLED = 2_000_000_000  # ns: a change this long before a read cannot share a later change's status
# key -> (digest of the input files, the result)
_memos: dict[Any, tuple[str, Any]] = {}


def load(path: Path, parse: Callable[[str], T]) -> T:
    """``parse(text)`` of a UTF-8 file, reused while the file's bytes stay the same. OSError as from read;
    loading.LoadError (file:line) for bytes that are not UTF-8."""
    key = (os.path.abspath(path), parse)  # not resolve(): no system calls, and symlinks stay as given
    hit = _parsed.get(key)
    status = _status(path)
    if hit is not None and status is not None and hit[2] == status:
        return hit[1]  # type: ignore[no-any-return]
    data = path.read_bytes()
    if hit is not None and hit[0] == data:
        _parsed[key] = (data, hit[1], status)
        return hit[1]  # type: ignore[no-any-return]
    value = parse(loading.decode(data, loading.display(path)))  # not UTF-8: LoadError with its line
    _parsed[key] = (data, value, status)
    return value


def _status(path: Path) -> tuple[int, ...] | None:
    """What tells a later change of the file, taken before its bytes are read; None when the file changed
    too recently for that (module docstring) or its file system keeps no times (or it cannot be read: the
    read that follows raises)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_mtime_ns <= 0 or st.st_ctime_ns <= 0 or st.st_ctime_ns > time.time_ns() - _SETTLED:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)


def digest(paths: Iterable[Path]) -> str:
    """A digest of the names and contents of files; a missing file counts as missing, not as an error."""
    hasher = hashlib.blake2b(digest_size=20)
    for path in paths:
        name = str(path).encode("utf-8")
        hasher.update(len(name).to_bytes(8, "big") + name)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            hasher.update(b"\xff" * 8)
            continue
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def memo(key: Any, paths: Iterable[Path], compute: Callable[[], T]) -> T:
    """``compute()``, reused while ``key`` is the same and the files ``paths`` have the same contents.

    ``key`` holds whatever else the result depends on (a folder, an environment variable, the date)."""
    fingerprint = digest(paths)
    hit = _memos.get(key)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]  # type: ignore[no-any-return]
    value = compute()
    _memos[key] = (fingerprint, value)
    return value


def clear() -> None:
    """Forget everything (tests)."""
    _parsed.clear()
    _memos.clear()


def load_yaml(text: str) -> Any:
    """``yaml.safe_load``, with libyaml's parser when PyYAML has it (ten times faster, the same values).

    On an error the pure-Python parser runs again, so that messages and line numbers are the ones the
    project's error texts and tests know."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def compose_yaml(text: str) -> yaml.Node | None:
    """``yaml.compose`` (nodes with line numbers), with libyaml's parser when PyYAML has it; see load_yaml.

    The nodes are the pure-Python parser's: the same tags, values, marks and styles (libyaml marks a plain
    scalar with the style ``""`` where PyYAML has ``None``, which is set back here)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            node = yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
        else:
            return loading.as_pure_python(node) if node is not None else None
    return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_yaml(text: str) -> Iterable[yaml.Event]:
    """``yaml.parse`` (the event stream), with libyaml's parser when PyYAML has it; see load_yaml."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            events = list(yaml.parse(text, Loader=fast))
        except yaml.YAMLError:
            pass
        else:
            for event in events:
                if isinstance(event, yaml.ScalarEvent) and event.style == "":
                    event.style = None  # as PyYAML's parser has it (see compose_yaml)
            return events
    return yaml.parse(text, Loader=yaml.SafeLoader)


def user_cache_dir(name: str) -> Path:
    """A folder of the user's cache for results that outlive a process (worksheet PDFs, share cards):
    $XDG_CACHE_HOME or ~/.cache, then tyouramentorointi/<name>. Outside the project on purpose: the tests'
    temporary copies of the project share it."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tyouramentorointi" / name


# --------------------------------------------------------------------------- results kept between processes


def persistent_dir(name: str) -> Path | None:
    """``user_cache_dir(name)``, or None when ``WORKSHEETS_PDF_CACHE`` is off (``off``, ``0``, ``no``,
    ``false``): that variable turns off every result the build keeps between processes (PDFs, share cards,
    the validated organisations)."""
    if os.environ.get("WORKSHEETS_PDF_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    return user_cache_dir(name)


def fingerprint(parts: Iterable[str | bytes]) -> str:
    """A digest of several values (each framed by its length, so that no two lists of values share one)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()[:40]


def versions(distributions: Iterable[str]) -> str:
    """``name=version`` of installed distributions (``name=-`` for one that is not installed)."""
    from importlib import metadata

    found = []
    for name in distributions:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def stored(
    name: str, key: str, compute: Callable[[], T], encode: Callable[[T], bytes | None], decode: Callable[[bytes], T]
) -> T:
    """``compute()``, kept in ``persistent_dir(name)`` under ``key`` for the next process.

    Only for a pure, deterministic result: ``key`` must be a digest (``fingerprint``) of every input of
    ``compute``, the source of the code that computes it and the versions of the libraries it uses, so that
    any change computes it again. ``encode`` gives the bytes to keep (None: keep nothing, e.g. a failure);
    ``decode`` raises ValueError for bytes it cannot read back, which are then computed again. A cache that
    cannot be read or written is no reason to stop: the result is computed."""
    folder = persistent_dir(name)
    path = folder / f"{key}.json" if folder is not None else None
    if path is not None:
        try:
            return decode(path.read_bytes())
        except (OSError, ValueError):
            pass
    value = compute()
    data = encode(value) if path is not None else None
    if path is not None and data is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            temporary.replace(path)  # atomic: parallel builds (the tests) share the folder
        except OSError:
            pass
        else:
            _prune(path.parent)
    return value


STALE_DAYS = 30


def _prune(folder: Path) -> None:
    """Remove the files of ``folder`` that no build wrote for ``STALE_DAYS`` days: every change of the code or
    of the inputs writes a new file, and the old ones would stay for ever."""
    limit = time.time() - STALE_DAYS * 86400
    try:
        for path in folder.iterdir():
            if path.stat().st_mtime < limit:
                path.unlink()
    except OSError:
        pass


class StoredTable:
    """Pure results of one function, kept between processes (``persistent_dir(name)``): one file per ``key``,
    a digest (``fingerprint``) of the code of the function and of the libraries it uses; each entry is named
    by a digest of that call's inputs (e.g. the bytes of one built page). For work done on every page of
    every build whose pages mostly stay the same. ``save`` writes, when an entry was added, the entries asked
    for or added since the table was opened (so the file holds one build's worth). Values are JSON."""

    def __init__(self, name: str, key: str) -> None:
        folder = persistent_dir(name)
        self.path = folder / f"{key}.json" if folder is not None else None
        self.old: dict[str, Any] = {}
        if self.path is not None:
            try:
                old = json.loads(self.path.read_bytes())
            except (OSError, ValueError):
                old = {}
            self.old = old if isinstance(old, dict) else {}
        self.used: dict[str, Any] = {}
        self.added = False

    def get(self, entry: str) -> Any | None:
        value = self.used.get(entry, self.old.get(entry))
        if value is not None:
            self.used[entry] = value
        return value

    def put(self, entry: str, value: Any) -> None:
        self.used[entry] = value
        self.added = True

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(self.used, ensure_ascii=False), encoding="utf-8")
            temporary.replace(self.path)  # atomic: parallel builds (the tests) share the folder
        except OSError:
            pass
        else:
            _prune(self.path.parent)
        self.old, self.added = dict(self.used), False

"""Run a script or import modules with ONLY the packages of one requirements file importable.

    python tests/only_requirements.py REQUIREMENTS --run SCRIPT [ARGS...]
    python tests/only_requirements.py REQUIREMENTS --import DIR MODULE [MODULE...]
    python tests/only_requirements.py REQUIREMENTS --cli COMMAND [ARGS...]   (python -m tyouramentorointi ...)

The full test environment (.venv) has every package installed, so a make target that forgets to install
what its scripts import still passes there and fails on a fresh clone. This wrapper refuses any import of
a third-party module whose distribution is not pinned in REQUIREMENTS (and the files it includes with
`-r`): the same failure a venv with only that file would give, without building a second venv per target.
Standard-library modules and the project's own modules (the tyouramentorointi package, hooks/) are always
importable.
Exit code: that of the script, or 3 with one line on stderr when a forbidden import happened.
"""

from __future__ import annotations

import importlib.abc
import importlib.metadata
import re
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
LOCAL = {"tyouramentorointi", *(path.stem for path in (ROOT / "hooks").glob("*.py"))}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(requirements: Path) -> set[str]:
    """Distribution names in a requirements file, following `-r other.txt`."""
    names: set[str] = set()
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            names |= pinned(requirements.parent / line[3:].strip())
            continue
        names.add(normalise(re.split(r"[=<>!~;\[ ]", line, maxsplit=1)[0]))
    return names


class Refuse(importlib.abc.MetaPathFinder):
    """Refuses top-level modules that come only from distributions outside the allowed set."""

    def __init__(self, allowed: set[str], source: str) -> None:
        self.allowed = allowed
        self.source = source
        self.owners = {
            module: {normalise(dist) for dist in dists}
            for module, dists in importlib.metadata.packages_distributions().items()
        }
        self.refused: list[str] = []

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        top = fullname.partition(".")[0]
        if top in sys.stdlib_module_names or top in LOCAL or top in sys.builtin_module_names:
            return None
        owners = self.owners.get(top)
        if owners is None or owners & self.allowed:
            return None  # not from an installed distribution (e.g. a system module), or allowed
        self.refused.append(top)
        raise ModuleNotFoundError(
            f"No module named '{top}' with only {self.source} installed "
            f"(it comes from {', '.join(sorted(owners))}): pin it there, or install it in the make target"
        )


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] not in ("--run", "--import", "--cli"):
        print(__doc__, file=sys.stderr)
        return 2
    requirements = Path(argv[0])
    guard = Refuse(pinned(requirements), requirements.name)
    sys.meta_path.insert(0, guard)
    try:
        if argv[1] == "--cli":
            from tyouramentorointi.cli import main as cli

            try:
                return cli(argv[2:])
            except SystemExit as exc:
                return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if argv[1] == "--run":
            script = Path(argv[2]).resolve()
            sys.argv = [str(script), *argv[3:]]
            sys.path.insert(0, str(script.parent))
            try:
                runpy.run_path(str(script), run_name="__main__")
            except SystemExit as exc:
                return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            return 0
        sys.path.insert(0, str(Path(argv[2]).resolve()))
        for module in argv[3:]:
            __import__(module)
        return 0
    except ModuleNotFoundError as exc:
        if guard.refused:
            print(f"only_requirements: {exc}", file=sys.stderr)
            return 3
        raise


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Wall time of the test suite: the steps of `make test` (and of `make test-fast`), timed one by one.

Usage:
    python -m tyouramentorointi bench tests [--rev REV ...] [--runs N] [--fast] [--format text|json]

Without --rev it times the working tree. With one or more --rev (commits, branches, tags) each is checked
out into a temporary git worktree that shares this checkout's .venv and node_modules, and the revisions
are timed in turns (A B A B ...), so that a before/after comparison sees the same machine and load.
The steps are those of the Makefile's `test` target: ruff, the strict build, the link check and pytest on
one xdist worker per core (`--fast`: the `test-fast` selection, no browser tests). Set-up time is not
counted (run `make setup-test` first). A failing pytest run is timed and reported (`failed` in the json
output); any other failing step stops.

Exit codes: 0 timed, 1 a run failed, 2 usage error (no .venv, unknown revision).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"


def lint_paths(tree: Path) -> list[str]:
    """What ruff checks in a revision: the package came in with issue 18, scripts/ went."""
    return [name for name in ("hooks", "scripts", "tyouramentorointi", "tests") if (tree / name).is_dir()]


def link_check(tree: Path) -> list[str]:
    """The link checker's command line in a revision (before the package: a script in scripts/)."""
    old = tree / "scripts" / "check_links.py"
    return [str(old.relative_to(tree))] if old.exists() else ["-m", "tyouramentorointi", "check", "links"]


def steps(tree: Path, fast: bool, workers: int) -> list[tuple[str, list[str]]]:
    pytest = [str(VENV / "python"), "-m", "pytest", "-q", "-n", str(workers), "--dist", "loadgroup"]
    if fast:
        pytest += ["-m", "not browser"]
    return [
        ("ruff", [str(VENV / "ruff"), "check", *lint_paths(tree)]),
        ("build", [str(VENV / "mkdocs"), "build", "--strict", "-q", "--site-dir", "site"]),
        ("links", [str(VENV / "python"), *link_check(tree), "site"]),
        ("pytest", pytest),
    ]


def run_once(tree: Path, fast: bool, workers: int) -> dict[str, float] | str:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_DIR": "site",
        "CI": "true",
        "REPO_URL": "",
        "PREBUILD_VARIANTS": "1",
        # the revision's own package, not the editable install of the checkout that runs the benchmark
        "PYTHONPATH": str(tree),
    }
    times: dict[str, float] = {}
    for name, command in steps(tree, fast, workers):
        started = time.monotonic()
        proc = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
        times[name] = time.monotonic() - started
        if proc.returncode != 0 and name != "pytest":
            return f"{name} failed in {tree} (exit {proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}"
        if proc.returncode != 0:
            # A failing test still ran its course: time it, and say so (an old revision may be flaky).
            lines = proc.stdout.strip().splitlines() or ["?"]
            failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
            print(f"bench_tests: pytest failed in {tree}: {lines[-1]}", *failed, sep="\n  ", file=sys.stderr)
            times["failed"] = 1.0
    times["total"] = sum(times.values())
    return times


def checkout(rev: str, into: Path) -> Path:
    tree = into / rev.replace("/", "_")
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True, capture_output=True)
    for shared in (".venv", "node_modules"):
        if (ROOT / shared).exists():
            (tree / shared).symlink_to(ROOT / shared, target_is_directory=True)
    return tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", action="append", default=[], help="a revision to time (repeatable)")
    parser.add_argument("--runs", type=int, default=1, help="runs per revision, in turns (default 1)")
    parser.add_argument("--fast", action="store_true", help="time the test-fast selection (no browser)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="xdist workers (default: cores)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    if not (VENV / "python").exists():
        print("bench_tests: no .venv: run `make setup-test` first", file=sys.stderr)
        return 2
    temp = Path(tempfile.mkdtemp(prefix="bench-tests-"))
    trees: dict[str, Path] = {}
    try:
        for rev in args.rev:
            try:
                trees[rev] = checkout(rev, temp)
            except subprocess.CalledProcessError as exc:
                print(f"bench_tests: cannot check out {rev!r}: {exc.stderr.decode().strip()}", file=sys.stderr)
                return 2
        if not trees:
            trees["working tree"] = ROOT
        results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for run in range(args.runs):
            for name, tree in trees.items():
                got = run_once(tree, args.fast, args.workers)
                if isinstance(got, str):
                    print(f"bench_tests: run {run + 1} of {name}: {got}", file=sys.stderr)
                    return 1
                results[name].append(got)
                print(f"run {run + 1} {name}: {got['total']:.0f} s", file=sys.stderr)
    finally:
        for tree in trees.values():
            if tree != ROOT:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(temp, ignore_errors=True)
    summary = {
        name: {step: statistics.median(run.get(step, 0.0) for run in runs) for step in runs[0]}
        for name, runs in results.items()
    }
    if args.format == "json":
        print(json.dumps({"cores": os.cpu_count(), "runs": args.runs, "fast": args.fast, "median_s": summary}))
        return 0
    print(f"{'test-fast' if args.fast else 'make test'} steps, median of {args.runs} run(s), {os.cpu_count()} cores")
    print(f"{'revision':<24} {'ruff':>6} {'build':>7} {'links':>7} {'pytest':>8} {'total':>8}")
    for name, row in summary.items():
        print(
            f"{name[:24]:<24} {row['ruff']:>5.1f}s {row['build']:>6.1f}s {row['links']:>6.1f}s "
            f"{row['pytest']:>7.1f}s {row['total']:>7.1f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

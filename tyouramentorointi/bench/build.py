"""Build speed: the hooks' CPU overhead over the bare stack, and a `make serve` rebuild after editing one page.

Usage:
    python -m tyouramentorointi bench build [--repeats N] [--pdf] [--cold] [--no-pycache] [--format text|json]

1. **Overhead.** The project's `mkdocs build --strict` and the bare stack's build are run in turns (project,
   bare, bare, project, ...), each in a fresh process, and the CPU time of each process (user + sys, from
   ``wait4``, children included) is taken. The bare stack is MkDocs + Material + static-i18n on the same
   docs with the same mkdocs.yml, minus ``hooks:`` and the project's own Markdown extensions (entries of
   ``markdown_extensions`` from this package), which need the hooks; the templates of ``overrides/`` print a
   string's key where the hooks would have given ``ui``. Overhead = median(project) / median(bare) - 1;
   the target of issue 18 is at most 40 %.
2. **Rebuild.** What `mkdocs serve` (MkDocs 1.6, mkdocs/commands/serve.py) does on a change, in one
   process: the first build with the config loaded once and ``on_startup(command="serve")``; then, per
   repeat, one Markdown page of a copy of the project is edited and the builder runs again: the config is
   loaded again (MkDocs' hook loader is cached per process, so the hook modules and this package's modules
   and caches stay, as under serve), ``site_url`` becomes the serve URL and
   ``build(config, serve_url=..., dirty=False)`` runs. The wall time and CPU time of that second build are
   taken, and the edit is checked in the built page. Target: under 2 s on 2 cores. The bare stack's rebuild
   is measured the same way afterwards (not strict: without the hooks, links to the cards' anchors warn): the
   part of a rebuild that is the stack's own.

**Caches.** The build keeps a few pure results between processes in the user's cache (core/cache.py
``persistent_dir``: the share cards, the validated organisations, the worksheet PDFs), keyed by a digest of
their inputs and code. Without options a build finds them there (the warm-up pair fills them), as a second
``make build`` does. ``--cold`` points ``XDG_CACHE_HOME`` at a new, empty folder for every build (part 1) and
for the serve process (part 2): the figure of a first build on a new machine.

**Bytecode.** Python keeps compiled modules in ``__pycache__`` folders; with ``PYTHONDONTWRITEBYTECODE=1``
(set in some containers) it compiles this package's modules again in every process, while the bare stack's
libraries were compiled when they were installed. So that both stacks are measured as on a usual machine
(where the warm-up pair writes the bytecode), every build gets ``PYTHONPYCACHEPREFIX``, a folder in the
benchmark's temporary folder, and ``PYTHONDONTWRITEBYTECODE`` is removed. ``--no-pycache`` leaves the
environment as it is.

The worksheet PDFs: off by default in both parts (``WORKSHEETS_PDF=off``): they are a step over the built
site (the bare stack has none), and under serve they are made in the background, after the rebuild that is
timed. ``--pdf`` keeps them on: in part 1 the project's build then includes the PDF step (its cache is
keyed by content, so unchanged languages are reused); in part 2 they run in the background as under serve,
and the benchmark waits for them between rebuilds, outside the timed part. ``REPO_URL`` is empty (no git
call), as in the tests' builds.

Exit codes: 0 measured, 1 a build failed or the rebuild did not show the edit, 2 could not run (usage,
no mkdocs.yml).
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
from typing import Any

import yaml

from tyouramentorointi.core.content import languages

ROOT = Path(__file__).resolve().parents[2]
MODULE = "tyouramentorointi.bench.build"  # also when run as __main__
PACKAGE = MODULE.split(".", 1)[0]
# What a project copy needs to build (the package itself is imported from its installed place).
PROJECT_INPUTS = ("docs", "data", "hooks", "overrides")
DEFAULT_PAGE = "docs/fi/process/start.md"
EDIT_MARK = "Rakennusmittauksen muokkaus"  # the paragraph the rebuild part appends to the page, with a number


class BenchError(Exception):
    """A build failed or its result is wrong: one line (and the build's output) for the report."""


def build_env(pdf: bool, pycache: Path | None = None) -> dict[str, str]:
    """The builds' environment; ``pycache``: the bytecode folder of every build (see "Bytecode" above)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REPO_URL": ""}
    if pdf:
        env.pop("WORKSHEETS_PDF", None)
    else:
        env["WORKSHEETS_PDF"] = "off"
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def cold_env(env: dict[str, str], temp: Path) -> dict[str, str]:
    """``env`` with an empty cache folder of the user (``--cold``): nothing is kept from an earlier build."""
    return {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="xdg-", dir=temp)}


# --------------------------------------------------------------------------- the bare stack's config


def _is_project_extension(item: yaml.Node) -> bool:
    name = item.value[0][0].value if isinstance(item, yaml.MappingNode) and item.value else item.value
    return isinstance(name, str) and name.split(".", 1)[0] == PACKAGE


def bare_config(project: Path) -> str:
    """mkdocs.yml without hooks and without this package's Markdown extensions, paths made absolute.

    Edited as a YAML node tree (compose/serialize): the ``!ENV`` and ``!!python`` tags are kept as they are."""
    node = yaml.compose((project / "mkdocs.yml").read_text(encoding="utf-8"))
    if not isinstance(node, yaml.MappingNode):
        raise BenchError(f"{project / 'mkdocs.yml'}: not a mapping")
    kept: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if key.value == "hooks":
            continue
        if key.value == "docs_dir" and isinstance(value, yaml.ScalarNode):
            value.value = str((project / value.value).resolve())
        if key.value == "theme" and isinstance(value, yaml.MappingNode):
            for theme_key, theme_value in value.value:
                if theme_key.value == "custom_dir" and isinstance(theme_value, yaml.ScalarNode):
                    theme_value.value = str((project / theme_value.value).resolve())
        if key.value == "markdown_extensions" and isinstance(value, yaml.SequenceNode):
            value.value = [item for item in value.value if not _is_project_extension(item)]
        kept.append((key, value))
    if not any(key.value == "docs_dir" for key, _ in kept):
        kept.append(
            (
                yaml.ScalarNode("tag:yaml.org,2002:str", "docs_dir"),
                yaml.ScalarNode("tag:yaml.org,2002:str", str(project / "docs")),
            )
        )
    node.value = kept
    return yaml.serialize(node, allow_unicode=True)


# --------------------------------------------------------------------------- part 1: CPU of whole builds


def run_build(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    """(CPU seconds of the process and its waited-for children, wall seconds) of one build process."""
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchError(f"{' '.join(command)} (in {cwd}) failed with exit {proc.returncode}:\n{tail}")
    return usage.ru_utime + usage.ru_stime, wall


def overhead(
    project: Path, temp: Path, repeats: int, warmup: int, pdf: bool, cold: bool = False, pycache: Path | None = None
) -> dict[str, Any]:
    bare_dir = temp / "bare"
    bare_dir.mkdir()
    (bare_dir / "mkdocs.yml").write_text(bare_config(project), encoding="utf-8")
    env = build_env(pdf, pycache)
    commands = {
        "project": ([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir"], project),
        "bare": (
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml", "--site-dir"],
            bare_dir,
        ),
    }
    cpu: dict[str, list[float]] = {"project": [], "bare": []}
    wall: dict[str, list[float]] = {"project": [], "bare": []}
    for run in range(warmup + repeats):
        # alternate the order too (project bare, bare project, ...): neither always runs on a warmer cache
        order = ("project", "bare") if run % 2 == 0 else ("bare", "project")
        for name in order:
            command, cwd = commands[name]
            site = temp / f"site-{name}"
            shutil.rmtree(site, ignore_errors=True)
            run_env = cold_env(env, temp) if cold else env
            seconds, elapsed = run_build([*command, str(site)], cwd, run_env, temp / f"{name}.log")
            if run >= warmup:
                cpu[name].append(seconds)
                wall[name].append(elapsed)
        if run >= warmup:
            print(
                f"  pair {run - warmup + 1}: project {cpu['project'][-1]:.2f} s CPU, bare {cpu['bare'][-1]:.2f} s CPU",
                file=sys.stderr,
            )
    median = {name: statistics.median(values) for name, values in cpu.items()}
    return {
        "cpu_s": cpu,
        "wall_s": wall,
        "median_cpu_s": median,
        "median_wall_s": {name: statistics.median(values) for name, values in wall.items()},
        "overhead": median["project"] / median["bare"] - 1,
    }


# --------------------------------------------------------------------------- part 2: the serve rebuild


def copy_project(project: Path, dest: Path) -> Path:
    for name in PROJECT_INPUTS:
        if (project / name).exists():
            shutil.copytree(project / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(project / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def rebuild_child(
    project: Path, config_file: Path, page: str, repeats: int, pdf: bool, strict: bool = True
) -> dict[str, Any]:
    """Runs in its own process (cwd: the project copy): serve's first build, then `repeats` edits and rebuilds.

    ``strict=False`` for the bare stack: without the hooks, links to the organisation cards' anchors warn."""
    import logging
    from urllib.parse import urlsplit

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import _serve_url

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.chdir(project)
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")  # as serve: a temporary site folder
    try:

        def get_config() -> MkDocsConfig:
            # serve's get_config(): `make serve` passes --dev-addr; the rest is mkdocs.yml
            options: dict[str, Any] = {} if strict else {"strict": False}
            return load_config(config_file=str(config_file), site_dir=site_dir, dev_addr="127.0.0.1:8000", **options)

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        config.site_url = serve_url = _serve_url(host, port, mount_path)

        def builder(config: MkDocsConfig | None = None) -> None:
            if config is None:
                config = get_config()
                config.site_url = serve_url
            build(config, serve_url=serve_url, dirty=False)

        def wait_for_pdfs() -> None:
            # under serve the PDFs of the last build run in the background: not inside the next timed rebuild
            worksheets = sys.modules.get(f"{PACKAGE}.build.worksheets")
            for proc in getattr(worksheets, "_background", []):
                proc.wait()

        started = time.perf_counter()
        builder(config)
        first = time.perf_counter() - started
        source = project / page
        original = source.read_text(encoding="utf-8")
        built = Path(site_dir) / page_output(page, languages(project)[0])
        wall: list[float] = []
        cpu: list[float] = []
        try:
            for n in range(1, repeats + 1):
                if pdf:
                    wait_for_pdfs()
                source.write_text(f"{original.rstrip()}\n\n{EDIT_MARK} {n}.\n", encoding="utf-8")
                started, cpu_started = time.perf_counter(), time.process_time()
                builder()
                wall.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
                if f"{EDIT_MARK} {n}." not in built.read_text(encoding="utf-8"):
                    raise BenchError(f"the rebuild after editing {page} does not show the edit in {built}")
        finally:
            source.write_text(original, encoding="utf-8")
            if pdf:
                wait_for_pdfs()
            config.plugins.on_shutdown()
        return {"first_build_s": first, "wall_s": wall, "cpu_s": cpu}
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def page_output(page: str, default: str) -> str:
    """docs/fi/process/start.md -> process/start/index.html; docs/sv/x.md -> sv/x/index.html (directory URLs)."""
    parts = Path(page).parts
    if len(parts) < 3 or parts[0] != "docs" or not page.endswith(".md"):
        raise BenchError(f"--page {page}: give a page as docs/<lang>/<path>.md")
    lang, rest = parts[1], Path(*parts[2:]).with_suffix("")
    prefix = "" if lang == default else f"{lang}/"
    path = rest.parent if rest.name == "index" else rest
    return f"{prefix}{path.as_posix() + '/' if str(path) != '.' else ''}index.html"


def rebuild(
    project: Path, temp: Path, page: str, repeats: int, pdf: bool, cold: bool = False, pycache: Path | None = None
) -> dict[str, dict[str, Any]]:
    """The project's serve rebuilds, then the bare stack's on the same copy (for comparison), each in a process."""
    copy = copy_project(project, temp / "serve-project")
    bare_dir = temp / "serve-bare"
    bare_dir.mkdir()
    (bare_dir / "mkdocs.yml").write_text(bare_config(copy), encoding="utf-8")
    results: dict[str, dict[str, Any]] = {}
    for name, config_file in (("project", copy / "mkdocs.yml"), ("bare", bare_dir / "mkdocs.yml")):
        out = temp / f"rebuild-{name}.json"
        command = [sys.executable, "-m", MODULE, "--rebuild-child", str(copy), str(config_file), page, str(repeats)]
        command += [str(out), *(["--pdf"] if pdf else []), *(["--no-strict"] if name == "bare" else [])]
        env = build_env(pdf, pycache)
        proc = subprocess.run(
            command, cwd=copy, env=cold_env(env, temp) if cold else env, capture_output=True, text=True
        )
        if proc.returncode != 0 or not out.exists():
            output = (proc.stdout + proc.stderr)[-3000:]
            raise BenchError(f"the serve rebuild ({name}) failed (exit {proc.returncode}):\n{output}")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        result["median_wall_s"] = statistics.median(result["wall_s"])
        result["median_cpu_s"] = statistics.median(result["cpu_s"])
        results[name] = result
    return results


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--rebuild-child"]:
        copy, config_file, page, repeats, out = argv[1:6]
        try:
            child = rebuild_child(
                Path(copy), Path(config_file), page, int(repeats), "--pdf" in argv, "--no-strict" not in argv
            )
        except BenchError as exc:
            print(exc, file=sys.stderr)
            return 1
        Path(out).write_text(json.dumps(child), encoding="utf-8")
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="measured pairs and rebuilds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured pairs first (default 1)")
    parser.add_argument("--pdf", action="store_true", help="worksheet PDFs on (default off, see above)")
    parser.add_argument("--cold", action="store_true", help="an empty cache folder (XDG_CACHE_HOME) for every build")
    parser.add_argument(
        "--no-pycache", action="store_true", help="no bytecode folder of the benchmark's own (see Bytecode above)"
    )
    parser.add_argument("--page", default=DEFAULT_PAGE, help=f"the page edited before each rebuild ({DEFAULT_PAGE})")
    parser.add_argument("--only", choices=("overhead", "rebuild"), help="run one part only")
    parser.add_argument("--project", type=Path, default=ROOT, help="the project folder (default: this checkout)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    if args.repeats < 1 or args.warmup < 0:
        print("bench build: --repeats must be at least 1 and --warmup at least 0", file=sys.stderr)
        return 2
    if not (project / "mkdocs.yml").is_file():
        print(f"bench build: no mkdocs.yml in {project}: give the project folder with --project", file=sys.stderr)
        return 2
    if not (project / args.page).is_file():
        print(f"bench build: --page {args.page}: no such file in {project}", file=sys.stderr)
        return 2
    try:
        page_output(args.page, languages(project)[0])
    except BenchError as exc:
        print(f"bench build: {exc}", file=sys.stderr)
        return 2
    temp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    pycache = None if args.no_pycache else temp / "pycache"
    result: dict[str, Any] = {"cores": os.cpu_count(), "repeats": args.repeats, "pdf": args.pdf, "page": args.page}
    result |= {"cold": args.cold, "pycache": pycache is not None}
    try:
        if args.only in (None, "overhead"):
            print(f"overhead: {args.warmup} + {args.repeats} pairs of builds", file=sys.stderr)
            result["overhead"] = overhead(project, temp, args.repeats, args.warmup, args.pdf, args.cold, pycache)
        if args.only in (None, "rebuild"):
            print(f"rebuild: a first build and {args.repeats} rebuilds, project then bare", file=sys.stderr)
            result["rebuild"] = rebuild(project, temp, args.page, args.repeats, args.pdf, args.cold, pycache)
    except BenchError as exc:
        print(f"bench build: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    if args.format == "json":
        print(json.dumps(result))
        return 0
    pdf = "PDFs on" if args.pdf else "WORKSHEETS_PDF=off"
    caches = "cold caches (an empty XDG_CACHE_HOME per build)" if args.cold else "warm caches"
    bytecode = "bytecode as the environment says" if args.no_pycache else "bytecode cached (PYTHONPYCACHEPREFIX)"
    print(f"build speed, median of {args.repeats}, {os.cpu_count()} cores, {pdf}, {caches}, {bytecode}")
    if "overhead" in result:
        o = result["overhead"]
        print(
            f"  CPU of a whole build: project {o['median_cpu_s']['project']:.2f} s, bare stack "
            f"{o['median_cpu_s']['bare']:.2f} s: overhead {o['overhead']:.0%} (target <= 40%)"
        )
    if "rebuild" in result:
        r, b = result["rebuild"]["project"], result["rebuild"]["bare"]
        print(
            f"  serve rebuild after editing {args.page}: {r['median_wall_s']:.2f} s wall, "
            f"{r['median_cpu_s']:.2f} s CPU (target < 2 s wall; first build {r['first_build_s']:.2f} s); "
            f"bare stack {b['median_wall_s']:.2f} s wall, {b['median_cpu_s']:.2f} s CPU"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

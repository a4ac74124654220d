"""Shared fixtures: one real build of the real site per test run, one loopback HTTP server, one Chromium.

`make test` builds the site once into site/ and passes SITE_DIR; run alone, pytest builds it once into a
temporary folder. Tests that need a modified site use `build_variant`, which builds a temporary copy.
Browser tests use Playwright driving Debian's Chromium; in CI (CI=true) a missing browser is a failure,
never a skip.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tyouramentorointi.core.languages import codes as language_codes
from tyouramentorointi.core.languages import prefix as language_prefix

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Flags explained in DEVELOPMENT.md#the-test-harness: without the background-networking ones, the closed network
# floods the log with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


LANGS = language_codes(ROOT)  # the one language list, mkdocs.yml (tyouramentorointi/core/languages.py)
DEFAULT_LANG = LANGS[0]


def lang_prefix(lang: str) -> str:
    return language_prefix(lang, DEFAULT_LANG)


def mkdocs_build(project: Path, site_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real strict build of a project folder; returns the process (output in .stdout)."""
    # REPO_URL empty unless a test sets it: the feedback channel must not depend on the clone's git remote
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REPO_URL": "", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("SITE_DIR")
    if given:
        path = (ROOT / given).resolve()
        if (path / "index.html").exists():
            return path
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def copy_project(dest: Path) -> Path:
    """A copy of the build inputs (docs, data, hooks, the package, overrides, mkdocs.yml); `python -m mkdocs`
    in the copy imports the copy's package (the current folder comes first on sys.path)."""
    for name in ("docs", "data", "hooks", "overrides", "tyouramentorointi"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.fixture
def build_variant(tmp_path: Path) -> Callable[..., tuple[subprocess.CompletedProcess, Path, Path]]:
    """Build a modified copy of the site: ``build_variant(change)`` where ``change(project_dir)`` edits it."""

    def run(
        change: Callable[[Path], None] | None = None, env: dict[str, str] | None = None
    ) -> tuple[subprocess.CompletedProcess, Path, Path]:
        project = copy_project(tmp_path / "project")
        if change:
            change(project)
        out = tmp_path / "site"
        return mkdocs_build(project, out, env), project, out

    return run


def only_language(project: Path, lang: str) -> None:
    """Build only one language of a project copy (static-i18n's build_only_locale): for a bad input in
    that language, a third of the build is enough to see the error."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "      docs_structure: folder\n"
    assert anchor in text, "mkdocs.yml: the i18n plugin's docs_structure line moved"
    config.write_text(text.replace(anchor, f"{anchor}      build_only_locale: {lang}\n"), encoding="utf-8")


class Variant(NamedTuple):
    """A shared variant build: the build's exit code and output, the project copy, the site folder."""

    proc: subprocess.CompletedProcess
    project: Path
    out: Path


def _run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every xdist worker of this run (each worker's basetemp sits inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# Recipes of the variant sites, by name: test modules register theirs when they are imported, so that
# `make test` can start building every variant at once (PREBUILD_VARIANTS=1, see _prebuild_variants).
VARIANTS: dict[str, tuple[Callable[[Path], None] | None, dict[str, str]]] = {}


def register_variant(name: str, change: Callable[[Path], None] | None = None, env: dict[str, str] | None = None) -> str:
    """Declare a variant site: ``change(project)`` edits a copy of the sources, ``env`` is the build's
    environment (``{project}`` stands for the copy's path). One name, one recipe."""
    recipe = (change, dict(env or {}))
    known = VARIANTS.setdefault(name, recipe)
    assert known == recipe, f"variant {name!r} is registered twice with different recipes"
    return name


def _variant_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _run_root(tmp_path_factory) / "variants"
    root.mkdir(exist_ok=True)
    return root


def _build_variant(root: Path, name: str, wait: bool = True) -> bool:
    """Build variant `name` into root/name unless it is built; False if another process holds it (wait=False)."""
    change, env = VARIANTS[name]
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        result = folder / "result.json"
        if not result.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            project = copy_project(folder / "project")
            if change:
                change(project)
            filled = {key: value.replace("{project}", str(project)) for key, value in env.items()}
            proc = mkdocs_build(project, folder / "site", filled)
            result.write_text(
                json.dumps({"returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}),
                encoding="utf-8",
            )
    return True


@pytest.fixture(scope="session")
def shared_variant(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Variant]:
    """Build a named variant of the site ONCE per test run, shared by every test and worker that asks.

    ``shared_variant(name)`` for a registered recipe, or ``shared_variant(name, change, env)`` (registers
    it): the first caller builds, the others wait on a file lock and reuse the result, so the sub-path,
    overlay and fallback sites cost one build each whatever the test order. Bad inputs that the build
    reports together (strict warnings) belong in one variant; a variant whose build must fail is cached
    like any other.
    """
    root = _variant_root(tmp_path_factory)

    def get(name: str, change: Callable[[Path], None] | None = None, env: dict[str, str] | None = None) -> Variant:
        if change is not None or env is not None or name not in VARIANTS:
            register_variant(name, change, env)
        _build_variant(root, name)
        folder = root / name
        data = json.loads((folder / "result.json").read_text(encoding="utf-8"))
        proc = subprocess.CompletedProcess(["mkdocs", "build"], data["returncode"], data["stdout"], data["stderr"])
        return Variant(proc, folder / "project", folder / "site")

    return get


@pytest.fixture(scope="session", autouse=True)
def _prebuild_variants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """With PREBUILD_VARIANTS=1 (make test), every worker builds the registered variants in the background
    from the start, each taking the ones nobody has taken yet: a test that needs a variant then finds it
    built, instead of waiting with a core idle while another worker builds it."""
    if os.environ.get("PREBUILD_VARIANTS") != "1":
        yield
        return
    root = _variant_root(tmp_path_factory)
    thread = threading.Thread(
        target=lambda: [_build_variant(root, name, wait=False) for name in list(VARIANTS)], daemon=True
    )
    thread.start()
    yield
    thread.join()


SUBPATH_URL = "https://example.org/mentorointi/"
REPO = "https://github.com/example-owner/example-repo"  # a repository address for the feedback link
# The white-label overlay of the overlay variant: every field, with a publisher name that must be escaped.
OVERLAY = """\
name:
  fi: Esimerkkiopas
  sv: Exempelguiden
  en: Example guide
logo: brand/logo.svg
contact: mailto:palaute@example.org
publisher:
  fi: Esimerkki <ry> & kumppanit
  sv: Exempel rf
  en: Example Association
reply_days: 10
accent: '#6b2d86'
"""


def _drop_swedish_faq(project: Path) -> None:
    (project / "docs" / "sv" / "faq.md").unlink()


SUBPATH = register_variant("subpath", _drop_swedish_faq, {"SITE_URL": SUBPATH_URL, "REPO_URL": REPO})


@pytest.fixture(scope="session")
def subpath_variant(shared_variant: Callable[..., Variant]) -> Variant:
    """The site as an organisation builds it for a sub-path (SITE_URL) from its repository (REPO_URL), with
    sv/faq.md untranslated, PDFs included: one build for the i18n, search, link-check, URL and feedback
    tests of the sub-path and the repository channel."""
    return shared_variant(SUBPATH)


def write_overlay(project: Path, body: str = OVERLAY) -> None:
    (project / "brand").mkdir(exist_ok=True)
    (project / "brand" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><rect width="2" height="2"/></svg>',
        encoding="utf-8",
    )
    (project / "overlay.yml").write_text(body, encoding="utf-8")


# No worksheet PDFs: the overlay changes pages, not PDFs (the PDFs are tested on the suite's own build and the
# sub-path build); making them again would cost about 25 s of CPU per test run.
OVERLAY_SITE = register_variant(
    "overlay", write_overlay, {"SITE_OVERLAY": "{project}/overlay.yml", "REPO_URL": REPO, "WORKSHEETS_PDF": "off"}
)


@pytest.fixture(scope="session")
def overlay_variant(shared_variant: Callable[..., Variant]) -> Variant:
    """A white-label copy (SITE_OVERLAY with every field) that also has a repository: the contact wins."""
    return shared_variant(OVERLAY_SITE)


class _Handler(SimpleHTTPRequestHandler):
    """Static files, with the per-language 404 page a web server would be configured to send."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # What the server was asked for is the ground truth for "this page downloaded X": Playwright's
        # request events miss a dedicated worker's fetch now and then (Chromium reports worker network
        # on the worker's own target), and every test has a fresh browser context, so no cache in between.
        self.server.log.append(self.path.split("?", 1)[0])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        root = Path(self.directory)
        path = self.path.split("?", 1)[0]
        # /<base>/sv/... -> sv/404.html; the server strips its own base path first
        parts = [p for p in path.split("/") if p]
        page = root / "404.html"
        if parts and (root / parts[0] / "404.html").exists():
            page = root / parts[0] / "404.html"
        body = page.read_bytes() if page.exists() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    # stdlib's backlog of 5 resets connections under a concurrent client (DEVELOPMENT.md#link-checking)
    request_queue_size = 256
    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[str] = []  # paths asked for, in order (list.append is atomic across threads)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a context drops its idle keep-alive connections: not an error of the site
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(directory: Path) -> tuple[_Server, str]:
    handler = functools.partial(_Handler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_server(site_dir: Path) -> Iterator[_Server]:
    """A loopback HTTP server serving the built site; ``.log`` lists the paths it was asked for."""
    server, _ = serve(site_dir)
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(site_server: _Server) -> str:
    """Base URL of the loopback HTTP server serving the built site."""
    return f"http://127.0.0.1:{site_server.server_address[1]}/"


BROWSER_FIXTURES = {"browser", "page"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test that drives Chromium carries the `browser` marker (make test-fast deselects them), found
    # from the fixtures it uses, so a new browser test cannot slip into the fast selection by a missing mark.
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def need_tool(present: bool, message: str) -> None:
    """A test's outside tool is missing: one line that names it and the make target that installs it.

    Under CI=true that line is a failure, never a skip (a green run must have run every check)."""
    if present:
        return
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _need_browser() -> None:
    need_tool(
        Path(CHROMIUM).exists(),
        f"Chromium not found at {CHROMIUM}: run `make setup-test` (installs Debian's chromium)",
    )


def browser_version() -> str:
    """The browser the tests drive, as it names itself (`chromium --version`), or why it is not there."""
    if not Path(CHROMIUM).exists():
        return f"not found at {CHROMIUM} (make setup-test installs it)"
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{CHROMIUM} does not start: {exc}"
    return (out.stdout or out.stderr).strip() or f"{CHROMIUM} printed no version"


def pytest_report_header(config: pytest.Config) -> list[str]:
    # A failure right after a Debian update of Chromium is then recognisable from the log's first lines.
    if hasattr(config, "workerinput"):  # xdist workers: the controller prints the header once
        return []
    from importlib.metadata import version

    return [f"browser: {browser_version()} ({CHROMIUM}), driven by Playwright {version('playwright')}"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Page scripts in tests: `page.evaluate(...)` and `locator.evaluate(...)` go through the DevTools protocol
# (Runtime.callFunctionOn), which the page's Content-Security-Policy does not govern, so they are CSP-safe.
# `page.wait_for_function` (with its JavaScript string) is not: Playwright compiles the string with eval
# inside the page, which the site's CSP blocks (tests/test_harness.py refuses it). Wait with web-first assertions
# (`expect(locator).to_be_checked()` ...) or with `settle`.
ANIMATIONS_DONE = "() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"


def settle(page: Any) -> None:
    """Wait until the page's running CSS transitions and animations have finished (none: returns at once).

    Waits for the page's own end of motion rather than a fixed time, so a slow machine does not fail."""
    page.evaluate(ANIMATIONS_DONE)


class PageWatch:
    """What a page did on the network and in the console while a test used it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        page.on(
            "response",
            lambda res: self.failed.append(f"{res.url} (HTTP {res.status})") if res.status >= 400 else None,
        )
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.watch = PageWatch()
    pg.watch.attach(pg)
    yield pg
    context.close()


def all_pages(site: Path) -> list[Path]:
    """Every built HTML page (not theme assets), sorted."""
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def source_pages(lang: str) -> list[str]:
    base = ROOT / "docs" / lang
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*.md"))

"""White-label overlay and the feedback channel: who publishes this copy and how readers reach them.

Point `SITE_OVERLAY` at one small YAML file outside docs/ (see overlay.example.yml):
    SITE_OVERLAY=overlay.yml make build
Fields (all optional except `name`): `name` (one plain text, or one per language of the site, every one of
them: the theme shows it as it is, so <, > and " are refused), `logo` (an SVG or PNG path relative to the
overlay file; an SVG must be a plain drawing, checked as docs/assets/ is: tyouramentorointi/checks/assets.py),
`contact` (an https:// or mailto: address without spaces or quotes; the
footer's feedback link goes there), `publisher` (who publishes the copy: one text, or one per language of the site),
`reply_days` (a whole number 2-365: the publisher's promised reply time; needs `contact`), `accent` (a
#rrggbb colour for the header and links). The build refuses an accent colour with less than 4.5:1 contrast
against white (the header text and the page background), so the copy stays WCAG 2.1 AA.

The feedback link (overrides/partials/copyright.html, last link of the footer on every page, 404 pages
too) goes to the first of:
1. the overlay's `contact` (a mailto: gets `?subject=` naming the page);
2. the repository's issue form `{repo}/issues/new?template=content-correction.yml&title=...` naming the
   page, where `{repo}` is mkdocs.yml's `repo_url` (the `REPO_URL` environment variable; the Pages workflow
   sets it), or, when `REPO_URL` is not set at all, the `origin` remote of the git checkout if that is a
   github.com address; `REPO_URL=` (empty) means "no repository";
3. the About page's `#feedback` section, which then says that no channel is configured and how to add one.
Material's own rendering of `repo_url` is switched off (the value moves to `extra.repo_url`): its header
link fetches star and fork counts from api.github.com in the reader's browser, a request to a third party.

Statements in Markdown that name the publisher, the contact or a reply time are written as placeholder
lines, one per paragraph, and rendered here from the settings above (texts in data/strings.yml, every
overlay value HTML-escaped): `%site-publisher`, `%site-repository`, `%feedback-channel`, `%feedback-reply`,
`%feedback-privacy`. tyouramentorointi/checks/content.py rejects such promises written as literal text.

The share cards, the pages' share metadata and the "edit this page" link name the copy and its repository
too: tyouramentorointi/build/share.py, called from this module's on_config, on_page_content, on_page_context and
on_post_build. A repository address that is not https stops the build, naming REPO_URL or mkdocs.yml:line.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from tyouramentorointi.build import share
from tyouramentorointi.build import translations as i18n
from tyouramentorointi.checks import assets
from tyouramentorointi.core import loading

FIELDS = {"name", "logo", "contact", "publisher", "reply_days", "accent"}
# https: or mailto: and nothing that could end an HTML attribute or a Markdown link: no spaces, quotes, <>
CONTACT_RE = re.compile(r"^(https://|mailto:)[^\s\"'<>`\\]+$")
REPO_URL_RE = re.compile(r"^https://[^\s\"'<>`\\?#]+$")
# origin remotes that name a github.com repository: https (with or without credentials), ssh, scp-like
GITHUB_REMOTE_RE = re.compile(
    r"^(?:https://(?:[^@/\s]+@)?github\.com/|ssh://git@github\.com/|git@github\.com:)"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)(?:\.git)?/?$"
)
PLACEHOLDER_RE = re.compile(r"^%((?:site|feedback)-[\w-]+)[ \t]*$", re.M)
PLACEHOLDERS = {"site-publisher", "site-repository", "feedback-channel", "feedback-reply", "feedback-privacy"}
ABOUT_PAGE = "about/index.md"


def contrast(hex_a: str, hex_b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""

    def luminance(value: str) -> float:
        channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The theme renders the site name as it is (Material's header and title), so the name is plain text.
MARKUP_RE = re.compile(r"[<>\"`\x00-\x1f\x7f]")


def _per_language(value: Any, where: str, field: str, langs: list[str], plain: bool = False) -> None:
    """`name` and `publisher`: one non-empty text, or one per site language (every one of them)."""
    values = list(value.values()) if isinstance(value, dict) else [value]
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise PluginError(f"{where}: {field} must be a text, or one text per language code (fi: ..., sv: ...)")
    if isinstance(value, dict) and langs and set(map(str, value)) != set(langs):
        missing = sorted(set(langs) - set(map(str, value)))
        unknown = sorted(set(map(str, value)) - set(langs))
        raise PluginError(
            f"{where}: {field} needs one text for every language of the site ({', '.join(langs)})"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not a language of the site: {', '.join(unknown)}" if unknown else "")
        )
    if plain and any(MARKUP_RE.search(v) for v in values):
        raise PluginError(f'{where}: {field} is plain text: leave out <, >, " and ` (the theme shows it as it is)')


def load_overlay(langs: list[str] | None = None) -> tuple[Path, dict[str, Any], dict[str, int]] | None:
    """The overlay of SITE_OVERLAY, validated (``langs``: the site's languages), or None without one."""
    value = os.environ.get("SITE_OVERLAY")
    if not value:
        return None
    path = Path(value).resolve()
    if not path.is_file():
        raise PluginError(f"SITE_OVERLAY={value}: no such file")
    try:
        data, node = loading.parse_yaml_file(path, value)
    except loading.LoadError as exc:
        raise PluginError(str(exc)) from None
    data = data if data is not None else {}
    lines = loading.key_lines(node)
    if not isinstance(data, dict):
        raise PluginError(f"{value}:1: expected a mapping with {sorted(FIELDS)}")
    for key in data:
        if key not in FIELDS:
            raise PluginError(f"{value}:{lines.get(key, 1)}: unknown field '{key}' (allowed: {sorted(FIELDS)})")
    if "name" not in data:
        raise PluginError(f"{value}:1: 'name' is required")
    langs = langs or []
    _per_language(data["name"], f"{value}:{lines['name']}", "name", langs, plain=True)
    if "publisher" in data:
        _per_language(data["publisher"], f"{value}:{lines['publisher']}", "publisher", langs)
    accent = data.get("accent")
    if accent is not None:
        if not isinstance(accent, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", accent):
            raise PluginError(f"{value}:{lines['accent']}: accent must be a colour like '#0b5a8a'")
        ratio = contrast(accent, "#ffffff")
        if ratio < 4.5:
            raise PluginError(
                f"{value}:{lines['accent']}: accent {accent} has {ratio:.2f}:1 contrast against white; "
                "WCAG 2.1 AA needs 4.5:1: choose a darker colour"
            )
    contact = data.get("contact")
    if contact is not None and not (isinstance(contact, str) and CONTACT_RE.match(contact)):
        raise PluginError(
            f"{value}:{lines['contact']}: contact must be one https:// or mailto: address without spaces, "
            "quotes or <>, e.g. mailto:feedback@example.org"
        )
    days = data.get("reply_days")
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or not 2 <= days <= 365:
            raise PluginError(f"{value}:{lines['reply_days']}: reply_days must be a whole number of days, 2-365")
        if not contact:
            raise PluginError(
                f"{value}:{lines['reply_days']}: reply_days promises a reply, so set `contact` too "
                "(where readers send the feedback you will answer)"
            )
    if "logo" in data:
        _check_logo(path.parent, data["logo"], f"{value}:{lines['logo']}")
    return path, data, lines


def _check_logo(folder: Path, logo: Any, where: str) -> None:
    """An SVG that is a plain drawing (checks/assets.py, as for docs/assets/) or a PNG."""
    if not isinstance(logo, str) or not logo.strip():
        raise PluginError(f"{where}: logo must be the path of an SVG or PNG file, relative to the overlay")
    file = folder / logo
    if not file.is_file():
        raise PluginError(f"{where}: logo file '{logo}' not found next to the overlay")
    data = file.read_bytes()
    if file.suffix.lower() == ".svg":
        problems = assets.check_svg(data, file)
        if problems:
            first = problems[0]
            raise PluginError(f"{where}: the logo {logo} cannot be published: line {first.line}: {first.message}")
    elif file.suffix.lower() != ".png" or not assets.is_png(data):
        raise PluginError(f"{where}: the logo must be an SVG or a PNG file ('{logo}' is neither)")


# --------------------------------------------------------------------------- the repository address


def git_remote_url(root: Path) -> str | None:
    """https://github.com/owner/repo when the checkout's `origin` is a github.com remote, else None."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = GITHUB_REMOTE_RE.match(proc.stdout.strip()) if proc.returncode == 0 else None
    return f"https://github.com/{match['owner']}/{match['repo']}" if match else None


def _config_line(config: MkDocsConfig, key: str) -> str:
    """mkdocs.yml:line of a top-level key, for an error message."""
    path = Path(config.config_file_path or "mkdocs.yml")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return path.name
    return f"{path.name}:{next((i for i, text in enumerate(lines, start=1) if text.startswith(key)), 1)}"


def repository_url(config: MkDocsConfig) -> str | None:
    """The repository address: REPO_URL (mkdocs.yml's repo_url), else the github.com `origin`, else None."""
    if "repo_url" in config.extra:  # resolved by an earlier language's on_config (same config object)
        return config.extra["repo_url"]
    value = config.repo_url
    if value is None:  # REPO_URL not set at all: the checkout's own GitHub repository, if it has one
        return git_remote_url(Path(config.config_file_path or ".").resolve().parent)
    value = str(value).strip()
    if not value:  # REPO_URL= (empty): deliberately no repository
        return None
    if not REPO_URL_RE.match(value):
        # Name where the value came from: the environment variable, or mkdocs.yml when someone wrote it there.
        if os.environ.get("REPO_URL", "").strip() == value:
            where = f"REPO_URL={value!r} (environment variable)"
        else:
            where = f"{_config_line(config, 'repo_url:')}: repo_url {value!r}"
        raise PluginError(
            f"{where}: the repository address must be https://, without spaces, quotes or a query, "
            "e.g. https://github.com/owner/repo; or set REPO_URL= (empty) for no repository links"
        )
    return value.rstrip("/").removesuffix(".git")


# --------------------------------------------------------------------------- events


@event_priority(-120)  # after static-i18n and the translations hook have set up the language being built
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Keep the address for the hooks and templates, hide it from Material (see the module docstring).
    config.extra["repo_url"] = repository_url(config)
    config.repo_url = None
    config.repo_name = None
    overlay = load_overlay([item.code for item in i18n.site_languages(config)])
    lang = i18n.current_language(config)
    data = overlay[1] if overlay else {}
    publisher = data.get("publisher")
    if isinstance(publisher, dict):
        publisher = publisher.get(lang) or next(iter(publisher.values()))
    config.extra["feedback"] = {
        "contact": data.get("contact"),
        "publisher": publisher.strip() if isinstance(publisher, str) else None,
        "reply_days": data.get("reply_days"),
    }
    if overlay is None:
        share.on_config(config, data)
        return config
    name = data["name"]
    config.site_name = str(name.get(lang) or next(iter(name.values()))) if isinstance(name, dict) else str(name)
    if data.get("logo"):
        config.theme["logo"] = "assets/overlay/logo" + Path(data["logo"]).suffix
    if data.get("accent") and "assets/overlay/overlay.css" not in config.extra_css:
        config.extra_css.append("assets/overlay/overlay.css")
    share.on_config(config, data)
    return config


@event_priority(-120)  # after static-i18n rebuilt the file list from docs/ (it would drop generated files)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    overlay = load_overlay([item.code for item in i18n.site_languages(config)])
    if overlay is None:
        return files
    path, data, _ = overlay
    if data.get("logo"):
        logo = path.parent / data["logo"]
        files.append(File.generated(config, "assets/overlay/logo" + logo.suffix, abs_src_path=str(logo)))
    if data.get("accent"):
        accent = data["accent"]
        css = (
            "/* generated from SITE_OVERLAY by hooks/overlay.py */\n"
            f':root, [data-md-color-scheme="default"], [data-md-color-scheme="slate"] {{\n'
            f"  --md-primary-fg-color: {accent};\n  --md-primary-fg-color--dark: {accent};\n}}\n"
            f'[data-md-color-scheme="default"] {{ --md-typeset-a-color: {accent}; }}\n'
        )
        files.append(File.generated(config, "assets/overlay/overlay.css", content=css))
    return files


# --------------------------------------------------------------------------- the feedback link


def channel(config: MkDocsConfig) -> str:
    """'contact', 'repository' or 'none': where the feedback link of this build goes."""
    if config.extra["feedback"]["contact"]:
        return "contact"
    return "repository" if config.extra.get("repo_url") else "none"


def feedback_href(config: MkDocsConfig, page: Page | None) -> str:
    """The feedback link's address for one page; "" when no channel is configured (the template then links
    to the About page's #feedback section)."""
    lang = i18n.current_language(config)
    ui = i18n.strings_for(config, lang)
    prefix = {item.code: item.prefix for item in i18n.site_languages(config)}[lang]
    path = "/" + (page.url if page is not None else prefix + "404.html")  # no page: the 404 template
    subject = f"{ui['feedback_subject']}: {path} ({lang})"
    contact = config.extra["feedback"]["contact"]
    if contact:
        if contact.startswith("mailto:"):
            return f"{contact}{'&' if '?' in contact else '?'}subject={quote(subject, safe='')}"
        return contact
    repo = config.extra.get("repo_url")
    if repo:
        return f"{repo}/issues/new?template=content-correction.yml&title={quote(subject, safe='')}"
    return ""


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    env.globals["feedback_href"] = lambda page=None: feedback_href(config, page)
    env.globals["feedback_channel"] = channel(config)
    return env


# --------------------------------------------------------------------------- share cards and the edit link


@event_priority(-10)  # after translations.py (0) has added its notices, dates and print link
def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return share.on_page_content(html_text, page, config)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Share metadata and the "edit this page" link (tyouramentorointi/build/share.py): they name who
    publishes the copy (its name, its repository), like the rest of this module."""
    return share.on_page_context(context, page, config)


@event_priority(-110)  # after static-i18n (-100): in the outer build every language is built
def on_post_build(config: MkDocsConfig) -> None:
    share.on_post_build(config)


# --------------------------------------------------------------------------- placeholders in Markdown


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _contact_text(contact: str) -> str:
    """What a reader sees of the contact: the e-mail address of a mailto:, the https: address as it is."""
    return contact.removeprefix("mailto:").split("?", 1)[0] if contact.startswith("mailto:") else contact


def statement(name: str, config: MkDocsConfig, page: Page) -> str:
    """The HTML of one placeholder in the language being built (texts: data/strings.yml)."""
    ui = i18n.strings_for(config)
    settings = config.extra["feedback"]
    via = channel(config)
    contact = settings["contact"]
    repo = config.extra.get("repo_url")
    lang = i18n.current_language(config)
    prefix = {item.code: item.prefix for item in i18n.site_languages(config)}[lang]
    about = get_relative_url(prefix + "about/", page.url) + "#feedback"
    values = {
        "publisher": html.escape(settings["publisher"] or "", quote=False),
        "days": str(settings["reply_days"] or ""),
        "contact": _link(contact, _contact_text(contact)) if contact else "",
        "repo": _link(repo, repo) if repo else "",
        "about": _link(about, ui["feedback_about_link"]),
    }
    if name == "site-publisher":
        key = "site_publisher_named" if settings["publisher"] else "site_publisher_unnamed"
    elif name == "site-repository":
        key = "site_repository" if repo else "site_repository_none"
    elif name == "feedback-channel":
        key = f"feedback_channel_{via}"
        if via == "none" and i18n.norm_src_uri(page) != ABOUT_PAGE:
            key = "feedback_channel_none_elsewhere"
    elif name == "feedback-reply":
        key = "feedback_reply_days" if settings["reply_days"] else "feedback_reply_none"
    else:  # feedback-privacy
        key = "feedback_privacy_" + ("mailto" if contact and contact.startswith("mailto:") else "https")
        key = key if via == "contact" else f"feedback_privacy_{via}"
    text = html.escape(ui[key], quote=False).format(**values)
    return f'<p class="site-statement" data-statement="{name}" data-channel="{via}">{text}</p>'


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "%site-" not in markdown and "%feedback-" not in markdown:
        return markdown

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            source = Path(page.file.abs_src_path or "")
            raw = loading.read_text(source).splitlines() if source.is_file() else []
            line = next((i for i, text in enumerate(raw, start=1) if text.strip() == f"%{name}"), 1)
            raise PluginError(
                f"docs/{page.file.src_uri}:{line}: unknown placeholder %{name} "
                f"(known: {', '.join('%' + p for p in sorted(PLACEHOLDERS))}; see hooks/overlay.py)"
            )
        # a raw HTML block of its own: blank lines around it, so that Markdown passes it through whole
        return "\n" + statement(name, config, page) + "\n"

    return PLACEHOLDER_RE.sub(replace, markdown)

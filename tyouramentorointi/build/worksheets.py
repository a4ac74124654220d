"""Worksheets hook: turns the worksheet pages of docs/<lang>/materials/ into printable, fillable forms.

What it does, and why (the page contract is the worksheet syntax shared with the content writers):

- **Front matter** of every page under ``materials/`` except ``index.md`` is validated: ``title``,
  ``worksheet`` (``M<number>``), ``phase`` (start|working|ending|any), ``role`` (mentor|mentee|both) and
  ``duration`` (minutes, a positive integer). The index, the PDFs and the storage keys are generated from
  these fields, so a missing or wrong one fails the build with ``file:line``, the field and what to write,
  instead of producing a silently incomplete list. A translation must carry the same values as the Finnish
  original (the worksheet id is part of the keys the answers are stored under).
- **Field lines** ``%field <type> <id> | label [| hint]`` (read by the Python-Markdown extension
  tyouramentorointi/markdown/worksheets.py, which this hook sets up for every page) become real form
  controls: ``<label for>`` + ``<input>``/``<textarea>``, the hint tied with ``aria-describedby``, ids
  prefixed with the worksheet id.
  The fields under the ``{#form}`` heading are wrapped in ``<form class="worksheet">`` with a notice that the
  answers stay in this browser, and a clear button. The form has no action and ``method="dialog"``: even
  without JavaScript, pressing Enter never sends the answers anywhere (not even into a URL). Every field
  has a print twin (``.worksheet-answer``): empty it prints as lines to write on, filled (by
  ``worksheets.js``) it prints the typed answer, which a printed ``<textarea>`` would cut off.
- **Groups**: a line that starts a group is followed by its own lines, indented (four spaces), with no other
  line in between (blank lines are allowed); the first unindented line ends the group::

      %field radio decision | Mitä päätimme? [| hint]      one choice of several (radio buttons)
          %option continue | Jatkamme entiseen tapaan.      at least two options: <option id> | <label>
      %log meetings | Tapaaminen [| hint]                   a log: numbered entries ("Tapaaminen 1", ...)
          %field date meeting-date | Tapaamisen päivä       at least one field: text, textarea, date, check
      %table applications | Hakemukset [| hint]             a table: a caption, a row per entry
          %column date date | Päivä                         at least one column: [text|date] <id> | <label>

  Ids follow the field id rule; a group's id is unique among the page's field ids, a child's within its
  group. Without JavaScript (and on paper, and in the PDF) a log has LOG_PRINT_ENTRIES empty entries and a
  table TABLE_PRINT_ROWS empty rows to fill in by hand; ``worksheets.js`` shows LOG_MIN_ENTRIES /
  TABLE_MIN_ROWS, or as many as have answers, and an "add" button. A field of entry ``n`` is stored and
  exported under ``<group id>.<n>.<field or column id>`` (``meetings.2.topic``). A malformed line, a missing
  child line or an indented line outside a group stops the build with ``file:line``, all errors of a page
  together.
- **Answers as a file**: every form has buttons that save this worksheet's answers, or the answers of all
  worksheets kept in this browser (for each, in the page's language if it has answers in it, else in
  another), to a file on the reader's device (a JSON download from a Blob; nothing is sent), and a file
  input that loads such a file back into the worksheet on screen, in any language. The format, version
  ANSWERS_VERSION::

      {"format": "tyouramentorointi-answers", "version": 1, "exported": "2026-12-06T10:00:00.000Z",
       "language": "fi", "worksheets": {"M5": {"meetings.1.meeting-date": "2026-12-01",
                                               "meetings.1.topic": "Verkostokartta"}, "M11": {...}}}

  Keys are the worksheet ids (``M5``: the same in every language) and the field keys above; values are
  text: typed text, a date ``YYYY-MM-DD``, ``"1"`` for a ticked box, the option id of a radio field. Empty
  answers are left out. A file is refused, and the page left as it was, when it is larger than 1 MB, is
  not JSON, has another ``format``, a ``version`` above ANSWERS_VERSION, or no answers for this worksheet;
  keys this worksheet does not have and values that are not text are ignored. Loading replaces this
  worksheet's answers. Each outcome is announced in the form's live region (``worksheet_import_*``).
  Imported text is only ever set as ``.value`` / ``textContent``. A later format raises ``version``;
  readers of version 1 then say the file is from a newer version.
- **``%worksheet-index``** in ``materials/index.md`` becomes the list of all worksheets of the language,
  from their front matter: one table per phase (works without JavaScript, with jump links), and a
  phase/role filter that ``worksheets.js`` switches on.
- Each worksheet page gets a line with its phase, role and duration and a link to its PDF
  (``pdf/<slug>.<lang>.pdf`` at the site root, linked relatively, so it works under any sub-path); the index
  links the materials pack ``pdf/materials.<lang>.pdf``.
- Every page gets a print-only footer: its address and the licence line. The address is the full URL when
  the site has one (``SITE_URL``); a default build (site_url on 127.0.0.1 or localhost) prints the page's
  path instead, which at least names the page.
- After all languages are built, the PDFs are made from the built HTML by ``tyouramentorointi/steps/pdf.py`` (the same
  script as ``make pdf``), so the links above are never broken in a plain ``mkdocs build``. It reuses the
  PDFs of unchanged languages from a cache keyed by content (``~/.cache/tyouramentorointi/pdf``, or
  ``$WORKSHEETS_PDF_CACHE``). Under ``mkdocs serve`` it runs in the background; a strict build that is going
  to abort skips it; ``WORKSHEETS_PDF=off`` skips it (the PDF links are then broken until ``make pdf``).

- The step-by-step navigation of the phases on the process pages and the worksheets comes from the
  worksheets read here and the nav: ``tyouramentorointi/build/steps_nav.py``, called from ``on_page_context``.

Every reader-facing string comes from ``data/strings.yml`` (keys ``worksheet_*``, ``print_footer_*``), through
``translations.strings_for``.
"""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_relative_url
from mkdocs.utils.meta import get_data

from tyouramentorointi.build import steps_nav, translations
from tyouramentorointi.build.translations import NOT_SEARCHED
from tyouramentorointi.core import cache, frontmatter, loading
from tyouramentorointi.markdown.worksheets import Field
from tyouramentorointi.markdown.worksheets import check_group as check_group  # the syntax: for the tests
from tyouramentorointi.markdown.worksheets import parse_child as parse_child
from tyouramentorointi.markdown.worksheets import parse_field as parse_field
from tyouramentorointi.markdown.worksheets import parse_group as parse_group

log = logging.getLogger("mkdocs.hooks.worksheets")
# the Markdown extension of the worksheet syntax (mkdocs.yml markdown_extensions), set up per page here
EXTENSION = "tyouramentorointi.markdown.worksheets"

PHASES = ("start", "working", "ending", "any")
ROLES = ("mentor", "mentee", "both")
LOG_PRINT_ENTRIES = 3  # empty entries of a log in the HTML without JavaScript, on paper and in the PDF
TABLE_PRINT_ROWS = 8  # empty rows of a table, the same
LOG_MIN_ENTRIES = 1  # entries shown on screen with JavaScript before any is filled (worksheets.js)
TABLE_MIN_ROWS = 3
MAX_ENTRIES = 100  # entries or rows a log or table keeps (also what an imported file may fill)
ANSWERS_FORMAT = "tyouramentorointi-answers"  # the "format" of an answers file (see the docstring)
ANSWERS_VERSION = 1
ANSWERS_MAX_BYTES = 1_000_000
REQUIRED = ("title", "worksheet", "phase", "role", "duration")
SAME_IN_ALL_LANGUAGES = ("worksheet", "phase", "role", "duration")
TEXTAREA_LINES = 4  # lines to write on, printed for an empty textarea
PACK_NAME = "materials"  # pdf/materials.<lang>.pdf; no worksheet may have this slug
STORAGE_NAMESPACE = "tyouramentorointi"
# The worksheet index tables come in Material's own scroll wrapper and carry a class, so that Material's
# JavaScript leaves them alone: it wraps every class-less table when a page loads, and moving the index's
# tables was most of that page's blocking time (tyouramentorointi/bench/lighthouse.py, en/materials/ at 2x: Total
# Blocking Time 153-199 ms -> 61-98 ms). Material styles only class-less tables: worksheets.css gives
# .worksheet-index__table the same look from Material's variables.
TABLE_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="worksheet-index__table">'
TABLE_CLOSE = "</table></div></div>"
PDF_MARK_BEGIN = "<!--worksheet-pdf-->"
PDF_MARK_END = "<!--/worksheet-pdf-->"

WORKSHEET_ID_RE = re.compile(r"^M[1-9][0-9]*$")
FIELD_MARK_RE = re.compile(r"(?:<p>)?<!--worksheet-field:(\d+)-->(?:</p>)?")
INDEX_MARK_RE = re.compile(r"(?:<p>)?<!--worksheet-index-->(?:</p>)?")
FORM_HEADING_RE = re.compile(r'<h2\b[^>]*\bid="form"[^>]*>.*?</h2>', re.DOTALL)
HEADING_RE = re.compile(r"<h([1-6])\b")


@dataclass(frozen=True)
class Worksheet:
    slug: str  # "agreement" for materials/agreement.md
    wid: str  # "M1"
    title: str
    description: str
    phase: str
    role: str
    duration: int
    url: str  # site-relative URL of the page in the language being built: "sv/materials/agreement/"
    source: str  # the Markdown file the page is built from, relative to the project: docs/fi/materials/x.md
    fallback: bool  # built from another language's file

    @property
    def number(self) -> int:
        return int(self.wid[1:])


# worksheets of the language being built, filled in on_files
_worksheets: dict[str, dict[str, Worksheet]] = {}
# fields of each worksheet page, from the Markdown extension (on_page_markdown's store), used in on_page_content
_fields: dict[str, list[Field]] = {}
# pages whose content make_pdf.py lays out (marked in on_page_context)
_for_pdf: set[str] = set()


# --------------------------------------------------------------------------- helpers


project_dir = translations.project_dir


def rel_source(config: MkDocsConfig, path: str | Path) -> str:
    """docs/fi/materials/x.md: the path a contributor sees, relative to the project."""
    try:
        return Path(path).resolve().relative_to(project_dir(config)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def norm_src(file: File) -> str:
    return getattr(file, "norm_src_uri", file.src_uri)


def is_worksheet_src(uri: str) -> bool:
    return uri.startswith("materials/") and uri.endswith(".md") and uri != "materials/index.md"


def slug_of(uri: str) -> str:
    return uri[len("materials/") : -len(".md")].replace("/", "-")


def pdf_path(slug: str, lang: str) -> str:
    """Site-relative path of a worksheet's PDF (or of the pack, with slug PACK_NAME)."""
    return f"pdf/{slug}.{lang}.pdf"


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _parse_front_matter(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    meta = frontmatter.parse(text)
    return meta.values, meta.lines


def read_front_matter(path: Path, shown: str) -> tuple[dict[str, Any], dict[str, int]]:
    """(values, line of each key) of a Markdown file's front matter; invalid YAML is a build error.
    Parsed once per content of the file (core/cache.py)."""
    try:
        return cache.load(path, _parse_front_matter)
    except frontmatter.FrontMatterError as exc:
        raise PluginError(f"{shown}:{exc.line}: {exc.message}") from None
    except loading.LoadError as exc:
        raise PluginError(str(exc)) from None


def check_front_matter(meta: dict[str, Any], lines: dict[str, int], shown: str) -> list[str]:
    """Problems of a worksheet's front matter, each as 'file:line: what is wrong. What to write.'"""
    problems = []
    examples = {
        "title": "title: Mentorointisopimus",
        "worksheet": "worksheet: M1",
        "phase": "phase: start",
        "role": "role: both",
        "duration": "duration: 30",
    }
    rules = {
        "title": "a non-empty text",
        "worksheet": "the worksheet id, M and a number (M1 … M16)",
        "phase": "one of " + ", ".join(PHASES),
        "role": "one of " + ", ".join(ROLES),
        "duration": "the typical time needed in minutes, a positive whole number",
    }
    for name in REQUIRED:
        value = meta.get(name)
        if name not in meta or value is None or value == "":
            problems.append(
                f"{shown}:1: worksheet front matter: '{name}' is missing. Add the line '{examples[name]}' "
                f"({rules[name]}) between the '---' lines."
            )
            continue
        ok = {
            "title": isinstance(value, str) and value.strip() != "",
            "worksheet": isinstance(value, str) and bool(WORKSHEET_ID_RE.match(value)),
            "phase": value in PHASES,
            "role": value in ROLES,
            "duration": isinstance(value, int) and not isinstance(value, bool) and value > 0,
        }[name]
        if not ok:
            problems.append(
                f"{shown}:{lines.get(name, 1)}: worksheet front matter: '{name}: {value}' is not valid. "
                f"Write {rules[name]}, e.g. '{examples[name]}'."
            )
    return problems


def ui(config: MkDocsConfig, lang: str | None = None) -> dict[str, str]:
    return translations.strings_for(config, lang)


def lang_attr(page: Page, lang: str) -> str:
    """' lang="sv"' when the page text is a fallback in another language, so our UI strings keep theirs."""
    file_locale = getattr(page.file, "locale", lang)
    return f' lang="{lang}"' if file_locale and file_locale != lang else ""


# --------------------------------------------------------------------------- events


@event_priority(-110)  # after static-i18n (-100) has picked the files of the language being built
def on_files(files: Files, config: MkDocsConfig) -> Files:
    lang = translations.current_language(config)
    default = translations.site_languages(config)[0].code
    docs = Path(config.docs_dir)
    problems: list[str] = []
    found: dict[str, Worksheet] = {}
    by_id: dict[str, str] = {}
    for file in files.documentation_pages():
        uri = norm_src(file)
        if not uri.startswith("materials/") or uri == "materials/index.md" or not file.abs_src_path:
            continue
        shown = rel_source(config, file.abs_src_path)
        try:
            meta, lines = read_front_matter(Path(file.abs_src_path), shown)
        except PluginError as exc:
            problems.append(str(exc))
            continue
        errors = check_front_matter(meta, lines, shown)
        slug = slug_of(uri)
        if slug == PACK_NAME:
            errors.append(f"{shown}:1: '{PACK_NAME}' is reserved for the materials pack PDF: rename the file.")
        file_locale = getattr(file, "locale", lang) or lang
        original = docs / default / uri
        if not errors and file_locale != default and original.exists():
            shown_original = rel_source(config, original)
            try:
                orig_meta, _ = read_front_matter(original, shown_original)
            except PluginError:
                orig_meta = {}  # reported when the original's own language is built
            for name in SAME_IN_ALL_LANGUAGES:
                if name in orig_meta and orig_meta[name] != meta.get(name):
                    errors.append(
                        f"{shown}:{lines.get(name, 1)}: '{name}: {meta.get(name)}' differs from the original "
                        f"{shown_original}. Write '{name}: {orig_meta[name]}' (the same in every language)."
                    )
        if not errors and meta["worksheet"] in by_id:
            errors.append(
                f"{shown}:{lines.get('worksheet', 1)}: worksheet id {meta['worksheet']} is also used by "
                f"{by_id[meta['worksheet']]}. Every worksheet needs its own id."
            )
        problems.extend(errors)
        if errors:
            continue
        by_id[meta["worksheet"]] = shown
        found[uri] = Worksheet(
            slug=slug,
            wid=meta["worksheet"],
            title=meta["title"].strip(),
            description=str(meta.get("description") or ""),
            phase=meta["phase"],
            role=meta["role"],
            duration=meta["duration"],
            url=file.url,
            source=shown,
            fallback=file_locale != lang,
        )
    if problems:
        raise PluginError("Worksheet front matter:\n" + "\n".join(problems))
    _worksheets[lang] = found
    return files


def sorted_worksheets(lang: str) -> list[Worksheet]:
    return sorted(_worksheets.get(lang, {}).values(), key=lambda ws: (PHASES.index(ws.phase), ws.number))


def _body_offset(page: Page) -> int:
    """Number of source lines before the Markdown body (the front matter and the blank lines MkDocs drops).

    Computed on the file itself: plugins before us (static-i18n) rewrite the body line by line, keeping the
    line count but not the text, so the Markdown we get cannot be matched against the file."""
    if not page.file.abs_src_path:
        return 0
    return cache.load(Path(page.file.abs_src_path), _front_lines)


def _front_lines(raw: str) -> int:
    raw = raw.removeprefix("\ufeff")
    body, _meta = get_data(raw)
    return raw[: len(raw) - len(body)].count("\n")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The worksheet lines are the Markdown extension's (tyouramentorointi/markdown/worksheets.py); here it is
    told what only the build knows: which page this is, its file and front matter lines, where the fields go,
    and MkDocs' error class (a message, no traceback)."""
    uri = norm_src(page.file)
    settings: dict[str, Any] = {"kind": "none"}
    if uri.startswith("materials/"):
        settings["kind"] = "index" if uri == "materials/index.md" else "worksheet"
        settings["source"] = rel_source(config, page.file.abs_src_path or uri)
        settings["line_offset"] = _body_offset(page)
        settings["error"] = PluginError
        if settings["kind"] == "worksheet":
            src_uri = page.file.src_uri
            _fields[src_uri] = []  # an empty page is not converted: no fields rather than a former build's

            def store(fields: list[Field]) -> None:
                _fields[src_uri] = fields

            settings["fields"] = store
    config.mdx_configs[EXTENSION] = settings
    return markdown


def _answer(kind: str, lines: int = 0) -> str:
    """The print twin of a control: the typed answer (worksheets.js fills it), or empty lines to write on."""
    rules = '<span class="worksheet-line"></span>' * lines
    return (
        f'<div class="worksheet-answer worksheet-answer--{kind}" aria-hidden="true">'
        f'<span class="worksheet-answer__text"></span>{rules}</div>'
    )


def control_html(field: Field, cid: str, key: str) -> str:
    """One labelled control: id `cid`, stored and exported under `key` (data-field)."""
    hint_id = f"{cid}-hint"
    described = f' aria-describedby="{hint_id}"' if field.hint else ""
    hint = f'<p class="worksheet-hint" id="{hint_id}">{esc(field.hint)}</p>' if field.hint else ""
    if field.kind == "radio":
        options = "".join(
            f'<div class="worksheet-option"><input type="radio" id="{cid}-{option.fid}" name="{key}" '
            f'value="{option.fid}"><label for="{cid}-{option.fid}">{esc(option.label)}</label>'
            f'<span class="worksheet-answer worksheet-answer--radio" aria-hidden="true"></span></div>'
            for option in field.children
        )
        return (
            f'<fieldset class="worksheet-field worksheet-field--radio" id="{cid}" data-field="{key}" '
            f'data-kind="radio"{described}><legend>{esc(field.label)}</legend>{hint}{options}</fieldset>'
        )
    common = f'id="{cid}" name="{key}" data-field="{key}"{described}'
    label = f'<label for="{cid}">{esc(field.label)}</label>'
    answer = _answer(field.kind, TEXTAREA_LINES if field.kind == "textarea" else 0)
    if field.kind == "check":
        control = f'<input type="checkbox" value="yes" {common}>'
        return f'<div class="worksheet-field worksheet-field--check">{control}{label}{answer}{hint}</div>'
    if field.kind == "textarea":
        control = f'<textarea {common} rows="4" autocomplete="off"></textarea>'
    else:
        input_type = "date" if field.kind == "date" else "text"
        control = f'<input type="{input_type}" {common} autocomplete="off">'
    return f'<div class="worksheet-field worksheet-field--{field.kind}">{label}{hint}{control}{answer}</div>'


def log_html(ws: Worksheet, log_: Field, strings: dict[str, str], attr: str) -> str:
    """A log: numbered entries (fieldsets) of the same fields; LOG_PRINT_ENTRIES of them without JavaScript."""
    base = f"{ws.wid}-{log_.fid}"
    hint = f'<p class="worksheet-hint" id="{base}-hint">{esc(log_.hint)}</p>' if log_.hint else ""
    entries = []
    for n in range(1, LOG_PRINT_ENTRIES + 1):
        inner = "".join(control_html(f, f"{base}-{n}-{f.fid}", f"{log_.fid}.{n}.{f.fid}") for f in log_.children)
        entries.append(
            f'<fieldset class="worksheet-entry" data-entry="{n}"><legend class="worksheet-entry__legend">'
            f'{esc(log_.label)} <span class="worksheet-entry__n">{n}</span></legend>{inner}</fieldset>'
        )
    add = strings["worksheet_log_add"].replace("{label}", log_.label)
    return (
        f'<div class="worksheet-group worksheet-log" id="{base}" data-group="{log_.fid}" data-id-base="{base}" '
        f'data-min="{LOG_MIN_ENTRIES}" data-max="{MAX_ENTRIES}" data-label="{esc(log_.label)}">{hint}'
        f'<div class="worksheet-group__entries">{"".join(entries)}</div>'
        f'<button type="button" class="worksheet-add" hidden {NOT_SEARCHED}{attr}>{esc(add)}</button></div>'
    )


def table_html(ws: Worksheet, table: Field, strings: dict[str, str], attr: str) -> str:
    """A table with a row per entry; TABLE_PRINT_ROWS empty rows without JavaScript."""
    base = f"{ws.wid}-{table.fid}"
    hint = f'<p class="worksheet-hint" id="{base}-hint">{esc(table.hint)}</p>' if table.hint else ""
    described = f' aria-describedby="{base}-hint"' if table.hint else ""
    head = "".join(
        f'<th scope="col" id="{base}-col-{col.fid}" class="worksheet-table__col--{col.kind}">{esc(col.label)}</th>'
        for col in table.children
    )
    rows = []
    for n in range(1, TABLE_PRINT_ROWS + 1):
        cells = "".join(
            f'<td><input type="{col.kind}" id="{base}-{n}-{col.fid}" name="{table.fid}.{n}.{col.fid}" '
            f'data-field="{table.fid}.{n}.{col.fid}" aria-labelledby="{base}-col-{col.fid} {base}-{n}" '
            f'autocomplete="off"><span class="worksheet-answer worksheet-answer--cell" aria-hidden="true">'
            f'<span class="worksheet-answer__text"></span></span></td>'
            for col in table.children
        )
        rows.append(
            f'<tr data-entry="{n}"><th scope="row" id="{base}-{n}" class="worksheet-table__n">'
            f'<span class="worksheet-entry__n">{n}</span></th>{cells}</tr>'
        )
    return (
        f'<div class="worksheet-group worksheet-table" id="{base}" data-group="{table.fid}" data-id-base="{base}" '
        f'data-min="{TABLE_MIN_ROWS}" data-max="{MAX_ENTRIES}" data-label="{esc(table.label)}">{hint}'
        f'<div class="worksheet-table__scroll"><table class="worksheet-table__table"{described}>'
        f'<caption id="{base}-caption">{esc(table.label)}</caption>'
        f'<thead><tr><th scope="col" class="worksheet-table__n">{esc(strings["worksheet_meta_id"])}</th>{head}'
        f'</tr></thead><tbody class="worksheet-group__entries">{"".join(rows)}</tbody></table></div>'
        f'<button type="button" class="worksheet-add" aria-describedby="{base}-caption" hidden {NOT_SEARCHED}'
        f"{attr}>{esc(strings['worksheet_table_add'])}</button></div>"
    )


def field_html(ws: Worksheet, field: Field, strings: dict[str, str], attr: str = "") -> str:
    if field.kind == "log":
        return log_html(ws, field, strings, attr)
    if field.kind == "table":
        return table_html(ws, field, strings, attr)
    return control_html(field, f"{ws.wid}-{field.fid}", field.fid)


def storage_prefix(config: MkDocsConfig, ws: Worksheet, lang: str) -> str:
    """localStorage key prefix: site path (several copies of the site on one host), worksheet, language."""
    base = urlsplit(config.site_url or "/").path or "/"
    return f"{STORAGE_NAMESPACE}:{base}:{ws.wid}:{lang}"


def form_html(html_text: str, page: Page, config: MkDocsConfig, ws: Worksheet, lang: str) -> str:
    fields = _fields.get(page.file.src_uri, [])
    shown = ws.source
    if not fields:
        return html_text
    strings = ui(config, lang)
    heading = FORM_HEADING_RE.search(html_text)
    if heading is None:
        raise PluginError(
            f"{shown}:{fields[0].line}: the page has '%field' lines but no form heading. Put the fields under "
            f"a heading '## <Lomake|Blankett|Form> {{#form}}' (see the worksheet page contract)."
        )
    start = heading.end()
    next_h2 = html_text.find("<h2", start)
    end = next_h2 if next_h2 != -1 else len(html_text)
    for match in FIELD_MARK_RE.finditer(html_text):
        if not start <= match.start() < end:
            field = fields[int(match.group(1))]
            raise PluginError(
                f"{shown}:{field.line}: field '{field.fid}' is outside the form section. Put every '%field' line "
                f"after the '{{#form}}' heading and before the next '##' heading."
            )
    attr = lang_attr(page, lang)
    body = FIELD_MARK_RE.sub(lambda m: field_html(ws, fields[int(m.group(1))], strings, attr), html_text[start:end])
    messages = {
        "cleared": "worksheet_cleared",
        "added": "worksheet_added",
        "exported": "worksheet_exported",
        "loaded": "worksheet_import_loaded",
        "not-answers": "worksheet_import_not_answers",
        "newer": "worksheet_import_newer",
        "other": "worksheet_import_other",
        "invalid": "worksheet_import_invalid",
        "too-large": "worksheet_import_too_large",
    }
    data_msgs = " ".join(f'data-msg-{name}="{esc(strings[key])}"' for name, key in messages.items())
    import_id = f"{ws.wid}-import"
    form = (
        f'<form class="worksheet" method="dialog" data-worksheet="{esc(ws.wid)}" data-lang="{lang}" '
        f'data-storage="{esc(storage_prefix(config, ws, lang))}" data-format="{ANSWERS_FORMAT}" '
        f'data-version="{ANSWERS_VERSION}" data-max-bytes="{ANSWERS_MAX_BYTES}" {data_msgs} '
        f'aria-labelledby="form">'
        f'<div class="worksheet-notice admonition info" {NOT_SEARCHED}{attr}>'
        f'<p class="admonition-title">{esc(strings["worksheet_notice_title"])}</p>'
        f"<p>{esc(strings['worksheet_notice'])}</p></div>"
        f"{body}"
        f'<div class="worksheet-actions" {NOT_SEARCHED}{attr}>'
        f'<button type="button" class="worksheet-clear" hidden>{esc(strings["worksheet_clear"])}</button>'
        f'<fieldset class="worksheet-transfer" hidden><legend>{esc(strings["worksheet_transfer_title"])}</legend>'
        f'<p class="worksheet-transfer__help">{esc(strings["worksheet_transfer_help"])}</p>'
        f'<div class="worksheet-transfer__buttons">'
        f'<button type="button" class="worksheet-export">{esc(strings["worksheet_export"])}</button>'
        f'<button type="button" class="worksheet-export-all">{esc(strings["worksheet_export_all"])}</button></div>'
        f'<div class="worksheet-transfer__import"><label for="{import_id}">{esc(strings["worksheet_import"])}</label>'
        f'<input type="file" id="{import_id}" class="worksheet-import" accept=".json,application/json"></div>'
        f"</fieldset>"
        f'<p class="worksheet-status" role="status" aria-live="polite"></p></div>'
        f"</form>"
    )
    return html_text[:start] + form + html_text[end:]


def info_html(page: Page, config: MkDocsConfig, ws: Worksheet, lang: str) -> str:
    """Phase, role, duration and the PDF link, after the H1; its data-* attributes drive make_pdf.py."""
    strings = ui(config, lang)
    pdf = pdf_path(ws.slug, lang)
    href = get_relative_url(pdf, page.url)
    content_lang = getattr(page.file, "locale", lang) or lang
    attrs = {
        "data-worksheet": ws.wid,
        "data-slug": ws.slug,
        "data-phase": ws.phase,
        "data-role": ws.role,
        "data-order": str(sorted_worksheets(lang).index(ws)),
        "data-pdf": pdf,
        "data-title": ws.title,
        "data-description": ws.description,
        "data-lang": lang,
        "data-content-lang": content_lang,
        "data-page-url": page_url(page, config),
        "data-site-url": config.site_url or "/",
        "data-site-name": config.site_name,
    }
    attr_text = " ".join(f'{key}="{esc(value)}"' for key, value in attrs.items())
    minutes = strings["worksheet_minutes"].replace("{n}", str(ws.duration))
    return (
        f'<div class="worksheet-info" {attr_text}{lang_attr(page, lang)}>'
        f'<ul class="worksheet-meta">'
        f'<li><span class="worksheet-meta__key">{esc(strings["worksheet_meta_phase"])}:</span> '
        f"{esc(strings['worksheet_phase_' + ws.phase])}</li>"
        f'<li><span class="worksheet-meta__key">{esc(strings["worksheet_meta_role"])}:</span> '
        f"{esc(strings['worksheet_role_' + ws.role])}</li>"
        f'<li><span class="worksheet-meta__key">{esc(strings["worksheet_meta_duration"])}:</span> '
        f"{esc(minutes)}</li>"
        f'<li><span class="worksheet-meta__key">{esc(strings["worksheet_meta_id"])}:</span> {esc(ws.wid)}</li>'
        f"</ul>"
        f'<p class="worksheet-pdf" {NOT_SEARCHED}><a href="{esc(href)}" type="application/pdf">'
        f"{esc(strings['worksheet_pdf_link'])}</a></p></div>"
    )


def page_url(page: Page, config: MkDocsConfig) -> str:
    return urljoin(config.site_url or "/", page.url)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


def printed_address(page: Page, config: MkDocsConfig) -> str:
    """The address a printout names: the full URL when the site has one (SITE_URL), else the page's path.

    The default build's site_url is mkdocs.yml's local fallback (http://127.0.0.1:8000/), an address that
    means nothing on paper in someone else's hands: the path (/sv/materials/goals/) at least names the page."""
    url = page_url(page, config)
    host = urlsplit(config.site_url or "").hostname
    if not host or host in LOCAL_HOSTS:
        return urlsplit(url).path or "/"
    return url


def print_footer_html(page: Page, config: MkDocsConfig, lang: str) -> str:
    strings = ui(config, lang)
    url = printed_address(page, config)
    return (
        f'<div class="print-footer" {NOT_SEARCHED}{lang_attr(page, lang)}>'
        f"<p>{esc(config.site_name)} · {esc(strings['print_footer_address'])}: "
        f'<span class="print-footer__url">{esc(url)}</span></p>'
        f"<p>{esc(strings['print_footer_licence'])}</p></div>"
    )


def index_html(page: Page, config: MkDocsConfig, lang: str, level: int) -> str:
    """The list of all worksheets of the language, grouped by phase, with a filter for worksheets.js."""
    strings = ui(config, lang)
    sheets = sorted_worksheets(lang)
    hx = f"h{min(level, 6)}"
    total = len(sheets)
    phase_options = "".join(
        f'<option value="{phase}">{esc(strings["worksheet_phase_" + phase])}</option>' for phase in PHASES
    )
    role_options = "".join(
        f'<option value="{role}">{esc(strings["worksheet_role_" + role])}</option>' for role in ROLES
    )
    parts = [
        f'<div class="worksheet-index" data-total="{total}" '
        f'data-msg-count="{esc(strings["worksheet_index_count"])}" '
        f'data-msg-none="{esc(strings["worksheet_index_none"])}">',
        f'<form class="worksheet-index__filter" method="dialog" hidden {NOT_SEARCHED}>',
        f"<fieldset><legend>{esc(strings['worksheet_index_filter'])}</legend>",
        '<div class="worksheet-index__control"><label for="worksheet-filter-phase">'
        f"{esc(strings['worksheet_meta_phase'])}</label>"
        f'<select id="worksheet-filter-phase" data-filter="phase">'
        f'<option value="">{esc(strings["worksheet_index_all_phases"])}</option>{phase_options}</select></div>',
        '<div class="worksheet-index__control"><label for="worksheet-filter-role">'
        f"{esc(strings['worksheet_meta_role'])}</label>"
        f'<select id="worksheet-filter-role" data-filter="role">'
        f'<option value="">{esc(strings["worksheet_index_all_roles"])}</option>{role_options}</select></div>',
        "</fieldset></form>",
        '<p class="worksheet-index__count" role="status" aria-live="polite"></p>',
    ]
    groups = [(phase, [ws for ws in sheets if ws.phase == phase]) for phase in PHASES]
    groups = [(phase, items) for phase, items in groups if items]
    parts.append(
        f'<nav class="worksheet-index__jump" {NOT_SEARCHED} aria-label="{esc(strings["worksheet_index_by_phase"])}">'
        '<ul class="worksheet-index__jump-list">'
    )
    for phase, items in groups:
        parts.append(
            f'<li data-phase-link="{phase}"><a href="#worksheets-{phase}">'
            f"{esc(strings['worksheet_phase_' + phase])}</a> ({len(items)})</li>"
        )
    parts.append("</ul></nav>")
    for phase, items in groups:
        parts.append(
            f'<section class="worksheet-index__group" data-phase-group="{phase}" '
            f'aria-labelledby="worksheets-{phase}">'
            f'<{hx} id="worksheets-{phase}">{esc(strings["worksheet_phase_" + phase])}</{hx}>'
            # Wrapped and classed here, not by Material's JavaScript (TABLE_OPEN says why)
            f"{TABLE_OPEN}<thead {NOT_SEARCHED}><tr>"
            f'<th scope="col">{esc(strings["worksheet_meta_id"])}</th>'
            f'<th scope="col">{esc(strings["worksheet_index_col_title"])}</th>'
            f'<th scope="col">{esc(strings["worksheet_meta_role"])}</th>'
            f'<th scope="col">{esc(strings["worksheet_meta_duration"])}</th>'
            f'<th scope="col">PDF</th></tr></thead><tbody>'
        )
        for ws in items:
            href = get_relative_url(ws.url, page.url)
            pdf = get_relative_url(pdf_path(ws.slug, lang), page.url)
            minutes = strings["worksheet_minutes"].replace("{n}", str(ws.duration))
            title_lang = ' lang="' + translations.site_languages(config)[0].code + '"' if ws.fallback else ""
            description = (
                f'<br>\n<span class="worksheet-index__description"{title_lang}>{esc(ws.description)}</span>'
                if ws.description
                else ""
            )
            parts.append(
                f'<tr data-phase="{ws.phase}" data-role="{ws.role}" data-worksheet="{esc(ws.wid)}">'
                f'<td class="worksheet-index__nowrap">{esc(ws.wid)}</td>\n'
                f'<td><a href="{esc(href)}"{title_lang}>{esc(ws.title)}</a>{description}</td>\n'
                f"<td>{esc(strings['worksheet_role_' + ws.role])}</td>\n"
                f'<td class="worksheet-index__nowrap">{esc(minutes)}</td>\n'
                f'<td {NOT_SEARCHED}><a href="{esc(pdf)}" type="application/pdf">PDF'
                f'<span class="worksheet-sr">: {esc(ws.title)}</span></a></td></tr>'
            )
        parts.append(f"</tbody>{TABLE_CLOSE}</section>")
    pack = get_relative_url(pdf_path(PACK_NAME, lang), page.url)
    parts.append(
        f'<p class="worksheet-index__pack"><a href="{esc(pack)}" type="application/pdf">'
        f"{esc(strings['worksheet_index_pack'])}</a></p></div>"
    )
    return "".join(parts)


def pack_info_html(page: Page, config: MkDocsConfig, lang: str) -> str:
    attrs = {
        "data-pack": pdf_path(PACK_NAME, lang),
        "data-title": page.title or "",
        "data-lang": lang,
        "data-page-url": page_url(page, config),
        "data-site-url": config.site_url or "/",
        "data-site-name": config.site_name,
    }
    return (
        '<div class="worksheet-pack-info" hidden ' + " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items()) + "></div>"
    )


@event_priority(10)  # before translations.py wraps fallback pages, so the form section is found unwrapped
def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lang = translations.current_language(config)
    uri = norm_src(page.file)
    footer = print_footer_html(page, config, lang)
    if uri == "materials/index.md":
        match = INDEX_MARK_RE.search(html_text)
        if match is None:
            return html_text + footer
        levels = [int(level) for level in HEADING_RE.findall(html_text[: match.start()])]
        index = index_html(page, config, lang, (levels[-1] + 1) if levels else 2)
        html_text = html_text[: match.start()] + index + html_text[match.end() :]
        _for_pdf.add(page.file.src_uri)
        return pack_info_html(page, config, lang) + html_text + footer
    ws = _worksheets.get(lang, {}).get(uri) if is_worksheet_src(uri) else None
    if ws is None:
        return html_text + footer
    html_text = form_html(html_text, page, config, ws, lang)
    info = info_html(page, config, ws, lang)
    h1_end = html_text.find("</h1>")
    if h1_end == -1:
        html_text = info + html_text
    else:
        h1_end += len("</h1>")
        html_text = html_text[:h1_end] + info + html_text[h1_end:]
    _for_pdf.add(page.file.src_uri)
    return html_text + footer


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Mark the content make_pdf.py lays out. Here, not in on_page_content: the page content is final now,
    with what other hooks added around it (the notice and the lang wrapper of an untranslated page)."""
    if page.file.src_uri in _for_pdf and page.content:
        _for_pdf.discard(page.file.src_uri)
        page.content = PDF_MARK_BEGIN + page.content + PDF_MARK_END
    # The step-by-step navigation of the phases (tyouramentorointi/build/steps_nav.py) on the process pages
    # and the worksheets: it is made of the worksheets' phases, which this module has read.
    return steps_nav.on_page_context(context, page, config, nav)


# --------------------------------------------------------------------------- after the last language


OFF = ("0", "off", "no", "false")
_command = {"name": "build"}
_background: list[subprocess.Popen[str]] = []


def on_startup(command: str, dirty: bool) -> None:
    _command["name"] = command


def _strict_build_will_abort() -> bool:
    """True when `mkdocs build --strict` has counted warnings: it aborts right after on_post_build."""
    return any(
        isinstance(handler, CountHandler) and handler.get_counts() for handler in logging.getLogger("mkdocs").handlers
    )


@event_priority(-120)  # after translations.py (-110) has written the last pages
def on_post_build(config: MkDocsConfig) -> None:
    if getattr(translations.i18n_plugin(config), "building", False):
        return  # one language of several: the PDFs are made once, when all are built
    if os.environ.get("WORKSHEETS_PDF", "").lower() in OFF:
        log.info("WORKSHEETS_PDF=off: no PDFs made, the PDF links are broken until `make pdf`")
        return
    if config.strict and _strict_build_will_abort():
        log.info("worksheet PDFs: not made, the strict build has warnings and will abort")
        return
    # the cache folder: the pdf step's default ($WORKSHEETS_PDF_CACHE, else ~/.cache/tyouramentorointi/pdf)
    command = [sys.executable, "-m", "tyouramentorointi", "pdf", str(config.site_dir), "--quiet"]
    if _command["name"] == "serve":
        # Live reload must not wait for WeasyPrint: make the PDFs in the background (the last one wins).
        for proc in _background:
            if proc.poll() is None:
                proc.terminate()
        _background[:] = [subprocess.Popen(command, stdout=subprocess.DEVNULL, text=True)]
        log.info("worksheet PDFs: being made in the background")
        return
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PluginError(
            f"the worksheet PDFs (python -m tyouramentorointi pdf) failed (exit {done.returncode}):\n"
            f"{done.stderr or done.stdout}"
        )
    log.info(f"worksheet PDFs: {done.stdout.strip()} (with the hook: {time.monotonic() - started:.1f} s)")

"""Organisations hook: the list of mentoring organisations, from data/organisations/*.yaml.

What it does:
- Validates the data at every build (``on_config``) with tyouramentorointi/checks/data.py, the one implementation
  that editors can also run alone. Any problem fails the build with ``file:line: field: message``, so a
  typo in a field name, a missing translation or a plain ``http://`` link never reaches the site. The
  entries come from data/organisations/ or from ``$ORGANISATIONS_DIR`` (tests, previews), of the project
  whose mkdocs.yml is built. The result is kept under a digest of every file it was read from
  (core/cache.py): validated once per build, not once per language, and again under ``mkdocs serve`` as
  soon as one of those files changes.
- Replaces a line ``%organisations`` in a page (get-involved/organisations.md; the Python-Markdown extension
  tyouramentorointi/markdown/organisations.py reads the line, this hook gives it the list) with the cards, grouped by
  category under ``##`` headings with language-neutral ids, in the page's language. Every card says where
  its facts come from (compiled from public pages on a day, or confirmed by the organiser), lists its
  sources in a <details>, marks ``status: uncertain``, says when its address failed in the last external
  link check (data/link-status.json, tyouramentorointi/steps/link_status.py) and links to "Suggest a correction".
- A filter form narrows the list, with or without JavaScript, by the same rules. A card whose value for a
  chosen criterion is not stated in the sources stays visible, after the matches of its section, with its
  "not stated" marker (real text in the card, shown only then). The one source of truth for what matches
  is the card's ``data-*`` attributes:
  - without JavaScript, the stylesheet that ``filter_css`` writes (``FILTER_CSS``, generated at every build
    from the same data as the form's options and linked through ``extra_css``) reads the chosen options
    with ``:has()``: it hides the cards that do not match, puts the "not stated" ones last (``order`` in
    the section's flex column, ``reading-flow`` so that the tab order follows) and shows their markers and
    a static sentence that the list is filtered (no count: CSS cannot count);
  - with it, docs/assets/javascripts/organisations.js marks the form ``org-filter--live`` (which switches
    the stylesheet's rules off), applies the same rules, moves the cards, announces both numbers in the
    live region and keeps the choice in the address. Labels come from data/strings.yml.
- After the last language is built, writes ``/organisations.json`` (``version`` 2, all entries, a
  ``schema`` pointer, the ``generated`` date) and ``/organisations.schema.json`` at the site root, once:
  the step tyouramentorointi/steps/export.py (no MkDocs; ``python -m tyouramentorointi export SITE``).

Why a hook: the data lives in one place and is rendered for every language; no plugin needed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from babel import Locale
from babel.dates import format_date
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from tyouramentorointi.build import translations  # the one language list and the translation table
from tyouramentorointi.build.translations import NOT_SEARCHED
from tyouramentorointi.checks import data as validate_data
from tyouramentorointi.core import cache, loading
from tyouramentorointi.markdown.organisations import PLACEHOLDER
from tyouramentorointi.steps import export

log = logging.getLogger("mkdocs.hooks.organisations")

EXTENSION = "tyouramentorointi.markdown.organisations"  # mkdocs.yml markdown_extensions: the %organisations line
PAGE = "get-involved/organisations.md"
# Section ids of the categories: the same in every language (get-involved/index.md uses the same words).
CATEGORY_IDS = {
    "ngo": "programmes",
    "university": "universities",
    "uas": "universities-of-applied-sciences",
    "union": "unions",
    "employers": "employers",
    "municipality": "municipalities",
    "public": "public-services",
    "entrepreneurs": "entrepreneurs",
}
# Places inside other places: an entry for one of them is shown under the other, too (region filter).
PLACE_PARENTS = {
    "helsinki": "capital-region",
    "espoo": "capital-region",
    "vantaa": "capital-region",
    "capital-region": "uusimaa",
    "turku": "southwest-finland",
    "tampere": "pirkanmaa",
    "vaasa": "ostrobothnia",
}
# The generated stylesheet of the filter without JavaScript (filter_css), linked on every page like
# organisations.css; written at every build, never edited.
FILTER_CSS = "assets/stylesheets/organisations-filter.css"
# The criteria whose value can be "not stated" on a card, in the order of the form (data-what of the markers).
UNSTATED = ("who", "lang", "region", "open")
CORRECTION_TEMPLATE = "organisation-correction.yml"  # .github/ISSUE_TEMPLATE/
LINK_FALLBACK = ("default", "fi", "en", "sv")


@dataclass
class Data:
    """The validated data of one project, as long as its files stay the same (``load``)."""

    entries: list[dict[str, Any]]
    schema: dict[str, Any]
    link_status: dict[str, dict[str, str]]
    problems: list[validate_data.Problem]
    css: str = field(default="", init=False)  # filter_css of the entries, made on first use


def inputs(root: Path) -> list[Path]:
    """Every file validate_data reads: the schema, the entries, data/strings.yml (labels), the link status."""
    folder = validate_data.entries_dir(root)
    entries = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return [
        root / validate_data.SCHEMA_FILE,
        *entries,
        root / validate_data.STRINGS_FILE,
        validate_data.link_status_file(root),
    ]


def load(root: Path) -> Data:
    """The project's validated data; validated again only when one of its files (or the date) changed.

    Within a process the result is kept under a digest of the files (core/cache.py ``memo``: ``mkdocs serve``
    validates again as soon as one changes). Between processes the entries of valid data are kept in the
    user's cache (``cache.stored``) under a digest of everything validation depends on (``stored_key``):
    validating costs about a tenth of a second and importing jsonschema as much again, in every build,
    for data that rarely changes. Data with problems is never kept: its messages come from validation."""
    today = dt.date.today()

    def validate() -> Data:
        return cache.stored("organisations", stored_key(root, today), lambda: _validate(root), _encode, _decode(root))

    # The folder listing is part of the key: an entry added or removed is a change too.
    folder = validate_data.entries_dir(root)
    key = ("organisations", str(root), str(folder), str(validate_data.link_status_file(root)), today)
    return cache.memo(key, inputs(root), validate)


def _validate(root: Path) -> Data:
    result = validate_data.validate_data(root)
    if result.problems:
        return Data([], {}, {}, result.problems)
    return _valid_data(root, result.entries)


def _valid_data(root: Path, entries: list[dict[str, Any]]) -> Data:
    # checked by validate_data (load_schema); checking the schema against its metaschema again costs time
    schema = json.loads((root / validate_data.SCHEMA_FILE).read_text(encoding="utf-8"))
    return Data(entries, schema, validate_data.load_link_status(root)[0], [])


# What validation depends on besides the files of ``inputs``: the code that reads and checks them and the
# libraries it uses (jsonschema with the format checkers it finds installed, PyYAML, babel's language names).
VALIDATION_CODE = (Path(validate_data.__file__), Path(cache.__file__), Path(loading.__file__), Path(__file__))
VALIDATION_LIBRARIES = (
    "jsonschema",
    "jsonschema-specifications",
    "referencing",
    "rpds-py",
    "pyyaml",
    "babel",
    *("fqdn", "idna", "isoduration", "jsonpointer", "rfc3339-validator", "rfc3986-validator", "rfc3987"),
    *("uri-template", "webcolors"),
)


def stored_key(root: Path, today: dt.date) -> str:
    """The key of the validated entries in the user's cache: a digest of every input of validate_data (the
    files, their folder and names, the date: dates in the future are refused), of its code and of the
    versions of Python and of the libraries it uses."""
    folder = validate_data.entries_dir(root)
    parts: list[str | bytes] = ["organisations 1", str(root), str(folder), str(validate_data.link_status_file(root))]
    parts += [today.isoformat(), cache.digest(inputs(root)), sys.version, cache.versions(VALIDATION_LIBRARIES)]
    parts += [path.read_bytes() for path in VALIDATION_CODE]
    return cache.fingerprint(parts)


def _encode(data: Data) -> bytes | None:
    """The entries of valid data as JSON, when JSON gives back exactly the same values (else nothing is kept)."""
    if data.problems:
        return None
    try:
        text = json.dumps({"entries": data.entries}, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return text.encode("utf-8") if _same(json.loads(text)["entries"], data.entries) else None


def _decode(root: Path) -> Callable[[bytes], Data]:
    def decode(stored: bytes) -> Data:
        value = json.loads(stored)
        entries = value.get("entries") if isinstance(value, dict) else None
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise ValueError("not a list of entries")
        return _valid_data(root, entries)

    return decode


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same types (``1 == 1.0 == True`` in Python, not in the export)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


_data = Data([], {}, {}, [])
_entries: list[dict[str, Any]] = []
_schema: dict[str, Any] = {}
_link_status: dict[str, dict[str, str]] = {}


# --------------------------------------------------------------------------- events


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _data, _entries, _schema, _link_status
    data = load(translations.project_dir(config))
    if data.problems:
        lines = "\n".join(f"  {problem}" for problem in data.problems)
        raise PluginError(
            f"{validate_data.DATA_DIR.as_posix()}: {len(data.problems)} problem(s):\n{lines}\n"
            "Fix them (the schema is data/organisations.schema.json) or run tyouramentorointi/checks/data.py."
        )
    schema = data.schema
    site = [lang.code for lang in translations.site_languages(config)]
    in_schema = validate_data.schema_languages(schema)
    if sorted(site) != sorted(in_schema):
        raise PluginError(
            f"data/organisations.schema.json: texts must have the languages {', '.join(in_schema)}, but mkdocs.yml "
            f"builds {', '.join(site)}. Update $defs.localised_text (and localised_sentence, url_map) in the schema."
        )
    _data, _entries, _schema, _link_status = data, data.entries, schema, data.link_status
    if FILTER_CSS not in config.extra_css:
        config.extra_css.append(FILTER_CSS)
    return config


@event_priority(-120)  # after static-i18n rebuilt the file list from docs/ (it would drop generated files)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    if files.get_file_from_path(FILTER_CSS) is None:
        if not _data.css:  # the same for every language: made once per version of the data
            _data.css = filter_css(_entries, _schema)
        files.append(File.generated(config, FILTER_CSS, content=_data.css))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The ``%organisations`` line is the Markdown extension's (tyouramentorointi/markdown/organisations.py);
    here it gets the list in the page's language, made only if the page has the line."""
    if not PLACEHOLDER.search(markdown):
        if translations.norm_src_uri(page) == PAGE:
            raise PluginError(f"docs/.../{PAGE}: the line '%organisations' (where the cards go) is missing")
        config.mdx_configs[EXTENSION] = {}
        return markdown
    # A fallback copy (page missing in this language) keeps the language of its text.
    lang = getattr(page.file, "locale", None) or translations.current_language(config)

    def block() -> str:
        return render(
            _entries,
            _schema,
            translations.strings_for(config, lang),
            lang,
            links=_link_status,
            correction=correction_target(config),
        )

    config.mdx_configs[EXTENSION] = {"render": block}
    return markdown


@event_priority(-110)  # after static-i18n (-100): in the outer build, every language is built by now
def on_post_build(config: MkDocsConfig) -> None:
    if getattr(translations.i18n_plugin(config), "building", False):
        return  # an inner build of one language: the outer build writes the export once
    schema_text = (translations.project_dir(config) / validate_data.SCHEMA_FILE).read_text(encoding="utf-8")
    export.write(Path(config.site_dir), _entries, schema_text)
    log.debug(f"organisations.json: {len(_entries)} entries")


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = translations.project_dir(config)
    server.watch(str(root / "data"))
    server.watch(str(validate_data.entries_dir(root)))  # rebuild when an entry or a label changes
    return server


# --------------------------------------------------------------------------- rendering


def label(ui: dict[str, str], kind: str, value: str) -> str:
    if value == validate_data.UNKNOWN:
        return ui[validate_data.NOT_STATED_KEY]
    key = f"org_{kind}_{value.replace('-', '_')}"
    if kind == "lang" and key not in ui:
        # a language without a label of its own (e.g. ar): its name in the reader's language, from CLDR
        return Locale.parse(ui["org_date_locale"]).languages.get(value, value)
    return ui[key]


def localised(value: Any, lang: str) -> str:
    return str(value[lang]) if isinstance(value, dict) else str(value)


def pick_url(url: str | dict[str, str], lang: str) -> tuple[str, str | None]:
    """(href, language of the linked page or None): the reader's language first, then the fallbacks."""
    if isinstance(url, str):
        return url, None
    for key in (lang, *LINK_FALLBACK):
        if key in url:
            return url[key], (None if key == "default" else key)
    raise PluginError(f"no URL in {url!r}")  # the schema requires one


def format_day(day: str, ui: dict[str, str]) -> str:
    return _format_day(day, ui["org_date_locale"])


@lru_cache(maxsize=4096)  # a pure function (babel's data do not change in a process): every card shows dates
def _format_day(day: str, locale: str) -> str:
    return format_date(dt.date.fromisoformat(day), format="long", locale=locale)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _list(ui: dict[str, str], kind: str, values: Any) -> str:
    if values == validate_data.UNKNOWN or values is None:
        return ui[validate_data.NOT_STATED_KEY]
    if isinstance(values, str):
        return label(ui, kind, values)
    return ", ".join(label(ui, kind, value) for value in values)


def _region(ui: dict[str, str], region: Any) -> str:
    if isinstance(region, list):
        return ", ".join(label(ui, "place", place) for place in region)
    return label(ui, "region", region)


def places_around(place: str) -> list[str]:
    """A place, the places it lies in (Helsinki: the capital region, Uusimaa) and the places inside it (the
    capital region: Helsinki, Espoo, Vantaa), in that order."""
    out = [place]
    parent = PLACE_PARENTS.get(place)
    while parent:
        out.append(parent)
        parent = PLACE_PARENTS.get(parent)
    todo = [place]
    while todo:
        outer = todo.pop()
        inner = [child for child, up in PLACE_PARENTS.items() if up == outer]
        out += inner
        todo += inner
    return out


def place_tokens(region: Any) -> str:
    """data-places of a card: 'national' (national or online), 'unknown', or its places with the places
    that contain them and that they contain, so that the filter's choice of one place finds them."""
    if not isinstance(region, list):
        return "national" if region in ("national", "online") else validate_data.UNKNOWN
    return " ".join(dict.fromkeys(token for place in region for token in places_around(place)))


def correction_target(config: Any) -> tuple[str, str] | None:
    """('repo', repo_url) when the site has a repository, else ('contact', feedback address), else None."""
    repo = (config.get("repo_url") or "").rstrip("/")
    if repo:
        return "repo", repo
    contact = (config.get("extra") or {}).get("feedback_url") or ""
    if contact.startswith(("mailto:", "https://")):
        return "contact", contact
    return None


def correction_href(target: tuple[str, str] | None, entry_id: str, lang: str) -> str | None:
    """The "Suggest a correction" link of a card: an issue form naming the entry, or the contact address."""
    if target is None:
        return None
    kind, base = target
    title = f"Correction: {entry_id} ({lang})"
    if kind == "repo":
        query = urlencode(
            {"template": CORRECTION_TEMPLATE, "title": title, "entry": entry_id, "language": lang}, quote_via=quote
        )
        return f"{base}/issues/new?{query}"
    if base.startswith("mailto:"):
        return f"{base}{'&' if '?' in base else '?'}subject={quote(title)}"
    return base


def _facts(entry: dict[str, Any], ui: dict[str, str], lang: str) -> str:
    esc = html.escape
    offers = entry["offers"]
    facts: list[tuple[str, str]] = [
        (ui["org_field_for"], _list(ui, "group", entry["target_groups"])),
    ]
    if offers != "find-mentor":
        facts.append((ui["org_field_mentors"], _list(ui, "group", entry.get("mentor_groups"))))
    facts += [
        (ui["org_field_offers"], label(ui, "offers", offers)),
        (ui["org_field_languages"], _list(ui, "lang", entry["languages"])),
        (ui["org_field_region"], _region(ui, entry["region"])),
        (ui["org_field_format"], label(ui, "format", entry["format"])),
        (ui["org_field_cost"], label(ui, "cost", entry["cost"])),
        (ui["org_field_open"], label(ui, "open", entry["open_to_all"])),
    ]
    if "timing" in entry:
        facts.append((ui["org_field_timing"], localised(entry["timing"], lang)))
    facts.append((ui["org_field_eligibility"], localised(entry["eligibility"], lang)))
    if "notes" in entry:
        facts.append((ui["org_field_notes"], localised(entry["notes"], lang)))
    # new lines between the items: Material's search index joins adjacent elements' text without a space
    return "".join(f"\n<dt>{esc(term)}</dt>\n<dd>{esc(_capital(text))}</dd>" for term, text in facts)


def _provenance(entry: dict[str, Any], ui: dict[str, str]) -> str:
    esc = html.escape
    verification = entry["verification"]
    if verification["state"] == "confirmed":
        day, key = verification["confirmed_on"], "org_provenance_confirmed"
    else:
        day, key = verification["compiled_on"], "org_provenance_compiled"
    before, _, after = ui[key].partition("{day}")
    time = f'<time datetime="{esc(day)}">{esc(format_day(day, ui))}</time>'
    state = esc(verification["state"])
    sources = "".join(
        f'\n<li><a href="{esc(source["url"])}">{esc(source["url"])}</a> '
        f"({esc(ui['org_source_read'].format(day=format_day(source['read'], ui)))})</li>"
        for source in entry["sources"]
    )
    summary = esc(ui["org_sources"].format(count=len(entry["sources"])))
    return (
        f'<p class="org-card__provenance" data-state="{state}">{esc(before)}{time}{esc(after)}</p>\n'
        # The addresses are for checking, not for finding the programme: kept out of the search index
        f'<details class="org-card__sources" {NOT_SEARCHED}><summary>{summary}'
        f"</summary>\n<ul>{sources}\n</ul></details>"
    )


def card(
    entry: dict[str, Any],
    ui: dict[str, str],
    lang: str,
    links: dict[str, dict[str, str]] | None = None,
    correction: tuple[str, str] | None = None,
) -> str:
    """One organisation as an <article>: heading, status, description, facts, link, provenance, sources."""
    esc = html.escape
    entry_id = entry["id"]
    name = localised(entry["name"], lang)
    href, link_lang = pick_url(entry["url"], lang)
    offers = entry["offers"]
    mentors = entry.get("mentor_groups")
    parts = [f'<h3 id="{esc(entry_id)}-title" class="org-card__title">{esc(name)}</h3>']
    if entry["status"] == "uncertain":
        parts.append(f'<p class="org-card__status"><strong>{esc(ui["org_status_uncertain"])}</strong></p>')
    parts += unstated_markers(entry, ui)
    parts.append(f'<p class="org-card__description">{esc(localised(entry["description"], lang))}</p>')
    parts.append(f'<dl class="org-card__facts">{_facts(entry, ui, lang)}</dl>')
    if "uncertain" in entry:
        parts.append(
            f'<p class="org-card__uncertain"><strong>{esc(ui["org_field_uncertain"])}:</strong> '
            f"{esc(localised(entry['uncertain'], lang))}</p>"
        )
    link_attrs = f' hreflang="{esc(link_lang)}"' if link_lang else ""
    link_note = f" ({esc(ui['org_link_lang_' + link_lang])})" if link_lang and link_lang != lang else ""
    failed = (links or {}).get(href)
    failed_note = ""
    if failed and failed["result"] == "failed":
        before, _, after = ui["org_link_failed"].partition("{day}")
        failed_note = (
            f'<br><span class="org-card__link-failed">{esc(before)}<time datetime="{esc(failed["day"])}">'
            f"{esc(format_day(failed['day'], ui))}</time>{esc(after)}</span>"
        )
    parts.append(
        f'<p class="org-card__link"><a href="{esc(href)}"{link_attrs}>'
        f"{esc(ui['org_link'].format(name=name))}</a>{link_note}{failed_note}</p>"
    )
    parts.append(_provenance(entry, ui))
    fix = correction_href(correction, entry_id, lang)
    if fix:
        parts.append(f'<p class="org-card__correction"><a href="{esc(fix)}">{esc(ui["org_correction"])}</a></p>')
    languages = entry["languages"]
    data = {
        "offers": offers,
        "mentees": " ".join(entry["target_groups"]),
        # mentor_groups left out on an entry where one can become a mentor: the sources do not say who
        "mentors": " ".join(mentors) if mentors else ("" if offers == "find-mentor" else validate_data.UNKNOWN),
        "languages": " ".join(languages) if isinstance(languages, list) else validate_data.UNKNOWN,
        "places": place_tokens(entry["region"]),
        "open": entry["open_to_all"],
        "status": entry["status"],
    }
    data_attrs = "".join(f' data-{key}="{esc(value)}"' for key, value in data.items())
    body = "\n".join(parts)
    return (
        f'<article class="org-card" id="{esc(entry_id)}" aria-labelledby="{esc(entry_id)}-title"{data_attrs}>\n'
        f"{body}\n</article>"
    )


def unstated_markers(entry: dict[str, Any], ui: dict[str, str]) -> list[str]:
    """One "Not stated: ..." marker for each criterion the sources do not state. Real text, hidden by the
    stylesheet (display: none, so not read either) until a filter on that criterion is active: shown by
    the generated rules without JavaScript, by the script's org-card__unstated--shown with it."""
    unknown = validate_data.UNKNOWN
    what = {
        # mentor_groups left out on an entry where one can become a mentor: the sources do not say who
        "who": "mentor_groups" not in entry and entry["offers"] != "find-mentor",
        "lang": entry["languages"] == unknown,
        "region": entry["region"] == unknown,
        "open": entry["open_to_all"] == unknown,
    }
    return [
        f'<p class="org-card__unstated" data-what="{name}" {NOT_SEARCHED}>'
        f"{html.escape(ui['org_unstated_card'].format(what=ui[f'org_unstated_{name}']))}</p>"
        for name in UNSTATED
        if what[name]
    ]


def _options(name: str, label_text: str, choices: list[tuple[str, str]], hint: str = "") -> str:
    esc = html.escape
    described = f' aria-describedby="org-{name}-hint"' if hint else ""
    options = "".join(f'<option value="{esc(value)}">{esc(text)}</option>' for value, text in choices)
    hint_html = f'<span class="org-filter__hint" id="org-{name}-hint">{esc(hint)}</span>' if hint else ""
    return (
        f'<p class="org-filter__field"><label for="org-{name}">{esc(label_text)}</label>'
        f'<select id="org-{name}" name="{name}"{described}>{options}</select>{hint_html}</p>'
    )


def filter_choices(entries: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, list[str]]:
    """The values of the filter's fields that some entry uses (the form's options and the stylesheet's rules)."""
    used_groups = {g for e in entries for g in [*e["target_groups"], *e.get("mentor_groups", [])]}
    used_langs = {code for e in entries if isinstance(e["languages"], list) for code in e["languages"]}
    known = validate_data.schema_languages(schema)
    used_places = {t for e in entries for t in place_tokens(e["region"]).split() if t not in ("national", "unknown")}
    return {
        "want": ["become-mentor", "find-mentor"],
        "who": [g for g in schema["$defs"]["group"]["enum"] if g in used_groups and g != "anyone"],
        "lang": [c for c in known if c in used_langs] + sorted(c for c in used_langs if c not in known),
        "region": ["national"] + [p for p in schema["$defs"]["place"]["enum"] if p in used_places],
    }


def filter_form(entries: list[dict[str, Any]], schema: dict[str, Any], ui: dict[str, str]) -> str:
    """The filter form: works without JavaScript (filter_css), live with it (organisations.js)."""
    esc = html.escape
    choices = filter_choices(entries, schema)
    groups, langs = choices["who"], choices["lang"]
    places = sorted((p for p in choices["region"] if p != "national"), key=lambda p: label(ui, "place", p).casefold())
    fields = (
        _options(
            "want",
            ui["org_filter_want"],
            [("", ui["org_filter_want_any"])] + [(v, _capital(label(ui, "offers", v))) for v in choices["want"]],
        )
        + _options(
            "who",
            ui["org_filter_who"],
            [("", ui["org_filter_who_any"])] + [(g, _capital(label(ui, "group", g))) for g in groups],
        )
        + _options(
            "lang",
            ui["org_filter_lang"],
            [("", ui["org_filter_lang_any"])] + [(c, _capital(label(ui, "lang", c))) for c in langs],
            hint=ui["org_filter_lang_hint"],
        )
        + _options(
            "region",
            ui["org_filter_region"],
            [("", ui["org_filter_region_any"]), ("national", ui["org_filter_region_national"])]
            + [(p, _capital(label(ui, "place", p))) for p in places],
            hint=ui["org_filter_region_hint"],
        )
    )
    checkbox = (
        '<p class="org-filter__check"><input type="checkbox" id="org-open" name="open" value="yes">'
        f'<label for="org-open">{esc(ui["org_filter_open"])}</label></p>'
    )
    # What the script needs to write the count, in the page's language.
    texts = {
        "status": ui["org_filter_status"],
        "status-unstated": ui["org_filter_status_unstated"],
        "none": ui["org_filter_none"],
        **{f"what-{name}": ui[f"org_unstated_{name}"] for name in UNSTATED},
    }
    data_attrs = "".join(f' data-{key}="{esc(value)}"' for key, value in texts.items())
    return (
        f'<form class="org-filter" method="get" {NOT_SEARCHED}{data_attrs}>\n'
        f"<fieldset><legend>{esc(ui['org_filter_legend'])}</legend>\n"
        f'<div class="org-filter__fields">{fields}</div>\n{checkbox}\n'
        f'<p class="org-filter__actions"><button type="reset" class="org-filter__reset">{esc(ui["org_filter_reset"])}'
        "</button></p>\n</fieldset>\n"
        # without JavaScript: shown by the stylesheet while a choice is made (no count: CSS cannot count)
        f'<p class="org-filter__static">{esc(ui["org_filter_static"])}</p>\n'
        # with it: the live count
        '<p class="org-filter__status" role="status" aria-live="polite" aria-atomic="true"></p>\n'
        "</form>"
    )


# --------------------------------------------------------------------------- the filter without JavaScript

NO_SCRIPT_FORM = "form.org-filter:not(.org-filter--live)"  # the script marks the form when it takes over
ANY_CHOSEN = ':is(#org-want, #org-who, #org-lang, #org-region) option:checked:not([value=""])'
_CSS_VALUE = re.compile(r"[A-Za-z0-9_-]*")  # "" is the "any" option


def _chosen(name: str, value: str) -> str:
    if not _CSS_VALUE.fullmatch(value):
        raise PluginError(f"filter value {value!r} cannot go into a CSS selector")
    return f'#org-{name} option[value="{value}"]:checked'


def _when(*chosen: str) -> str:
    """The page while these options are chosen (and the script has not taken over)."""
    return ".md-typeset" + "".join(f":has({NO_SCRIPT_FORM} {c})" for c in chosen)


def filter_rules(entries: list[dict[str, Any]], schema: dict[str, Any]) -> list[tuple[str, str, str, str | None]]:
    """(criterion, what is chosen, cards that do not match, cards for which it is not stated or None):
    the rules of organisations.js as selectors on the cards' data-* attributes."""
    choices = filter_choices(entries, schema)
    rules: list[tuple[str, str, str, str | None]] = []
    for value in choices["want"]:
        rules.append(
            ("want", _when(_chosen("want", value)), f':not([data-offers="both"]):not([data-offers="{value}"])', None)
        )
    for group in choices["who"]:
        not_mentee = f':not([data-mentees~="{group}"]):not([data-mentees~="anyone"])'
        not_mentor = f':not([data-mentors~="{group}"]):not([data-mentors~="anyone"])'
        mentors_known, mentors_unknown = ':not([data-mentors="unknown"])', '[data-mentors="unknown"]'
        who = _chosen("who", group)
        # mentees only / mentors only / either: the same three cases as the script
        rules.append(("who", _when(_chosen("want", "find-mentor"), who), not_mentee, None))
        rules.append(("who", _when(_chosen("want", "become-mentor"), who), not_mentor + mentors_known, mentors_unknown))
        rules.append(
            (
                "who",
                _when(_chosen("want", ""), who),
                not_mentee + not_mentor + mentors_known,
                not_mentee + mentors_unknown,
            )
        )
    for code in choices["lang"]:
        rules.append(
            (
                "lang",
                _when(_chosen("lang", code)),
                f':not([data-languages~="{code}"]):not([data-languages="unknown"])',
                '[data-languages="unknown"]',
            )
        )
    for place in choices["region"]:
        # a card for the whole country or online ("national" in data-places) matches every place
        hide = (
            "".join(dict.fromkeys(f':not([data-places~="{p}"])' for p in (place, "national")))
            + ':not([data-places="unknown"])'
        )
        rules.append(("region", _when(_chosen("region", place)), hide, '[data-places="unknown"]'))
    rules.append(
        (
            "open",
            _when("#org-open:checked"),
            ':not([data-open="yes"]):not([data-open="unknown"])',
            '[data-open="unknown"]',
        )
    )
    return rules


def filter_css(entries: list[dict[str, Any]], schema: dict[str, Any]) -> str:
    """The stylesheet FILTER_CSS: the filter without JavaScript, from the same choices as the form."""
    lines = [
        "/* Generated by hooks/organisations.py (filter_css) at every build: edit the hook, not this file.",
        "   The organisation filter without JavaScript: for each option of the form, the cards that do not",
        "   match are hidden; those whose value is not stated go last in their section (.org-group is a flex",
        "   column) with their marker shown. organisations.js switches these rules off (.org-filter--live). */",
        "",
        # the static sentence instead of the live count: the list is filtered
        _when(ANY_CHOSEN) + " .org-filter__static,",
        f"{_when('#org-open:checked')} .org-filter__static {{\n  display: block;\n}}",
    ]
    for name, when, hide, unstated in filter_rules(entries, schema):
        lines.append(f"{when} .org-card{hide} {{\n  display: none;\n}}")
        if unstated:
            lines.append(f"{when} .org-card{unstated} {{\n  order: 1;\n  border-left-style: dashed;\n}}")
            lines.append(
                f'{when} .org-card{unstated} .org-card__unstated[data-what="{name}"] {{\n  display: block;\n}}'
            )
    return "\n".join(lines) + "\n"


def render(
    entries: list[dict[str, Any]],
    schema: dict[str, Any],
    ui: dict[str, str],
    lang: str,
    links: dict[str, dict[str, str]] | None = None,
    correction: tuple[str, str] | None = None,
) -> str:
    """The Markdown that replaces ``%organisations``: jump links, the filter form, one section per category."""
    esc = html.escape
    categories = [c for c in schema["properties"]["category"]["enum"] if any(e["category"] == c for e in entries)]
    by_category = {
        c: sorted((e for e in entries if e["category"] == c), key=lambda e: localised(e["name"], lang).casefold())
        for c in categories
    }
    jump = "".join(
        f'<li><a href="#{CATEGORY_IDS[c]}">{esc(ui[f"org_category_{c}"])}</a> ({len(by_category[c])})</li>'
        for c in categories
    )
    parts = [
        f'<nav class="org-jump" {NOT_SEARCHED} aria-label="{esc(ui["org_jump_label"])}"><ul>{jump}</ul></nav>',
        filter_form(entries, schema, ui),
    ]
    for c in categories:
        cards = "\n".join(card(e, ui, lang, links, correction) for e in by_category[c])
        parts.append(f"## {ui[f'org_category_{c}']} {{#{CATEGORY_IDS[c]}}}")
        parts.append(
            f'<div class="org-group" data-category="{c}" data-heading="{CATEGORY_IDS[c]}">\n'
            f'<p class="org-group__intro">{esc(ui[f"org_category_{c}_intro"])}</p>\n{cards}\n</div>'
        )
    return "\n\n".join(parts) + "\n"

"""Update history (issue 21): when a page's content last changed, its change notes, an Atom feed per language.

The dates come from the front matter of the Finnish originals, not from git (DEVELOPMENT.md#dates-and-change-notes
says why: git history is missing from the self-hosting zip, shallow clones and the tests' copies, and a commit
date also moves for a typo fix). A Finnish page lists its revisions under ``changes``, newest first::

    revision: 4
    changes:
      - revision: 4
        date: 2026-12-20
        note: Lisätty ohje siitä, miten tavoitteet kirjataan.   # one sentence in Finnish
      - revision: 3
        date: 2026-12-06
        note:                                                    # or: the note in several languages
          fi: Lisätty tulostettava piirtopohja.
          sv: En utskrivbar ritmall har lagts till.              # optional; shown on the sv page and feed

The rules, checked before anything is built (each problem is one line ``file:line: what to do``):

- Every revision from the page's ``revision`` down to the oldest entry has exactly one entry; no entry has a
  revision above the page's (a note needs a raised revision) and ``revision`` is never raised without an entry.
- The list reaches revision 1, or its oldest entry is dated on or before HISTORY_START, the day change notes
  began: revisions older than that have no notes and need no entries (the recorded baseline).
- Every entry has a note, except revision 1 (shown as "first version") and that baseline entry.
- ``date`` is ``YYYY-MM-DD``, not after tomorrow, and no earlier than the entry of the revision before it.
- A translation has no ``changes`` (a translated note goes under ``note:`` of the Finnish entry), and its
  ``source_revision`` has an entry (the date it shows).

What a page shows (``updated_html``): "Päivitetty 6.12.2026", dated by the entry of the revision its text
follows (a Finnish page: its ``revision``; a translation: its ``source_revision``; a fallback copy: the
Finnish ``revision``), and the notes of those revisions in a ``<details>``. A translation behind its original
lists the notes it lacks in its outdated-translation notice (``pending_html``). The feeds (``write_feeds``)
list every entry with a note or a first version, in the reader's language where the note has one.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# Circular on purpose: translations.py calls this module from its events, and this module uses its helpers
# (the language list, the strings table, the page addresses) at call time only.
from tyouramentorointi.build import translations as i18n
from tyouramentorointi.core import content, frontmatter

HISTORY_START = dt.date(2026, 12, 6)  # the day change notes began; older revisions have none
FEED_NAME = "feed.xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ENTRY_KEYS = ("revision", "date", "note")
# one line: every problem is one line of output (YAML's flow style is the same entry as the block style)
EXAMPLE = "- {{revision: {r}, date: {d}, note: <one sentence in Finnish on what changed>}}"


@dataclass(frozen=True)
class Change:
    revision: int
    date: dt.date
    notes: Mapping[str, str]  # language -> note; empty for a first version or the baseline entry
    line: int

    def note(self, lang: str, default: str) -> tuple[str, str] | None:
        """(text, its language): the reader's language when the entry has it, else the original's."""
        if lang in self.notes:
            return self.notes[lang], lang
        if default in self.notes:
            return self.notes[default], default
        return None


@dataclass(frozen=True)
class PageHistory:
    norm_src: str  # "process/start.md"
    revision: int
    changes: tuple[Change, ...]  # newest first

    def change(self, revision: int) -> Change | None:
        return next((change for change in self.changes if change.revision == revision), None)

    def date_of(self, revision: int) -> dt.date:
        """The date of a revision the checks have guaranteed an entry for (the page's, a translation's)."""
        change = self.change(min(revision, self.revision))
        return change.date if change else self.changes[0].date

    def shown(self, up_to: int) -> list[Change]:
        """The entries a reader sees for a text that follows revision ``up_to``: notes and a first version."""
        return [c for c in self.changes if c.revision <= up_to and (c.notes or c.revision == 1)]


# --------------------------------------------------------------------------- reading and checking


def _front_matter(path: Path, shown: str) -> tuple[dict[str, Any], yaml.MappingNode | None, list[str]]:
    """(values, their YAML node for line numbers, problems), from the one front matter parser (dates stay
    text: core/loading.py)."""
    try:
        meta = frontmatter.read(path)
    except frontmatter.FrontMatterError as exc:
        return {}, None, [f"{shown}:{exc.line}: {exc.message}"]
    if not isinstance(meta.node, yaml.MappingNode):
        return {}, None, []
    return meta.values, meta.node, []


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 2  # +1 for 1-based lines, +1 for the opening '---'


def _key_lines(node: yaml.Node | None) -> dict[str, tuple[int, yaml.Node]]:
    """key -> (line of the key, value node) of a mapping node; {} for anything else."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): (_line(key), value) for key, value in node.value}


def _parse_date(text: object) -> dt.date | None:
    if not isinstance(text, str) or not DATE_RE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _entry(
    raw: object, node: yaml.Node, shown: str, languages: Sequence[str], today: dt.date, problems: list[str]
) -> Change | None:
    line = _line(node)
    if not isinstance(raw, dict) or not isinstance(node, yaml.MappingNode):
        problems.append(f"{shown}:{line}: a change entry is a mapping: {EXAMPLE.format(r='N', d=today.isoformat())}")
        return None
    keys = _key_lines(node)
    ok = True
    for key in raw:
        if key not in ENTRY_KEYS:
            problems.append(
                f"{shown}:{keys[str(key)][0]}: unknown key '{key}' in a change entry: use " + ", ".join(ENTRY_KEYS)
            )
            ok = False
    revision = raw.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        problems.append(f"{shown}:{keys.get('revision', (line,))[0]}: a change entry needs 'revision: N' (N ≥ 1)")
        return None
    day = _parse_date(raw.get("date"))
    if day is None:
        where = keys.get("date", (line,))[0]
        problems.append(
            f"{shown}:{where}: revision {revision}: 'date: {raw.get('date', '')}' is not a date: "
            "write the day of the change as YYYY-MM-DD, e.g. date: 2026-12-06"
        )
        ok = False
    elif day > today + dt.timedelta(days=1):
        problems.append(
            f"{shown}:{keys['date'][0]}: revision {revision}: date {day.isoformat()} is in the future: "
            "write the day the change was made"
        )
        ok = False
    notes: dict[str, str] = {}
    note = raw.get("note")
    default = languages[0]
    if isinstance(note, str) and note.strip():
        notes[default] = note.strip()
    elif isinstance(note, dict):
        for lang, text in note.items():
            where = _key_lines(keys["note"][1]).get(str(lang), (keys["note"][0],))[0]
            if lang not in languages:
                problems.append(
                    f"{shown}:{where}: revision {revision}: note language '{lang}' is not one of the site's "
                    f"languages ({', '.join(languages)})"
                )
                ok = False
            elif not isinstance(text, str) or not text.strip():
                problems.append(f"{shown}:{where}: revision {revision}: the '{lang}' note is empty")
                ok = False
            else:
                notes[str(lang)] = text.strip()
        if ok and default not in notes:
            problems.append(
                f"{shown}:{keys['note'][0]}: revision {revision}: the note has no '{default}' text: the Finnish "
                f"note comes first, translations of it are optional"
            )
            ok = False
    elif note is not None:
        problems.append(
            f"{shown}:{keys['note'][0]}: revision {revision}: 'note' is one sentence of text (or fi:, sv:, en: texts)"
        )
        ok = False
    if not ok or day is None:
        return None
    return Change(revision, day, notes, line)


def check_original(
    path: Path, shown: str, norm_src: str, languages: Sequence[str], today: dt.date
) -> tuple[PageHistory | None, list[str]]:
    """The history of a Finnish original, or the problems that stop the build."""
    values, node, problems = _front_matter(path, shown)
    if problems:
        return None, problems
    keys = _key_lines(node)
    revision = values.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        where = keys["revision"][0] if "revision" in keys else 1
        return None, [
            f"{shown}:{where}: the original needs 'revision: N' (a whole number ≥ 1): the page's date comes from it"
        ]
    rev_line = keys["revision"][0]
    raw = values.get("changes")
    if raw is None:
        return None, [
            f"{shown}:{rev_line}: no 'changes' list: add one with an entry for revision {revision}: "
            f"changes: [{EXAMPLE.format(r=revision, d=today.isoformat())[2:]}]"
        ]
    if not isinstance(raw, list) or not raw:
        return None, [
            f"{shown}:{keys['changes'][0]}: 'changes' is a list of entries: "
            + EXAMPLE.format(r=revision, d=today.isoformat())
        ]
    seq = keys["changes"][1]
    items = list(seq.value) if isinstance(seq, yaml.SequenceNode) else []
    changes: list[Change] = []
    for item, item_node in zip(raw, items, strict=True):
        change = _entry(item, item_node, shown, languages, today, problems)
        if change is not None:
            changes.append(change)
    if problems:
        return None, problems
    by_revision: dict[int, Change] = {}
    for change in changes:
        if change.revision > revision:
            problems.append(
                f"{shown}:{change.line}: a change note for revision {change.revision}, but the page is at "
                f"revision {revision}: a change note needs a raised revision: set 'revision: {change.revision}' "
                f"(line {rev_line})"
            )
        elif change.revision in by_revision:
            problems.append(
                f"{shown}:{change.line}: a second entry for revision {change.revision} (the first is on line "
                f"{by_revision[change.revision].line}): a new change needs a raised revision: set "
                f"'revision: {revision + 1}' (line {rev_line}) and this entry's revision to {revision + 1}"
            )
        else:
            by_revision[change.revision] = change
    if problems:
        return None, problems
    oldest = min(by_revision)
    for number in range(revision, oldest, -1):
        if number not in by_revision:
            what = "was raised without a change note" if number == revision else "has no entry"
            problems.append(
                f"{shown}:{rev_line if number == revision else keys['changes'][0]}: revision {number} {what}: "
                f"add at the top of 'changes': {EXAMPLE.format(r=number, d=today.isoformat())}"
            )
    if revision not in by_revision:
        return None, problems
    first = by_revision[oldest]
    if oldest > 1 and first.date > HISTORY_START:
        problems.append(
            f"{shown}:{first.line}: the list stops at revision {oldest}: add the entries of the revisions "
            f"before it, down to revision 1 (only revisions of {HISTORY_START.isoformat()} or older may be left out)"
        )
    for change in by_revision.values():
        if not change.notes and change.revision != 1 and not (change is first and change.date <= HISTORY_START):
            problems.append(
                f"{shown}:{change.line}: revision {change.revision} has no note: add 'note:' with one sentence "
                "in Finnish on what changed in the meaning of the page"
            )
        before = by_revision.get(change.revision - 1)
        if before is not None and before.date > change.date:
            problems.append(
                f"{shown}:{change.line}: revision {change.revision} is dated {change.date.isoformat()}, before "
                f"revision {before.revision} ({before.date.isoformat()}): check the dates"
            )
    if problems:
        return None, problems
    ordered = tuple(sorted(by_revision.values(), key=lambda change: -change.revision))
    return PageHistory(norm_src, revision, ordered), []


def check_translation(path: Path, shown: str, original: PageHistory | None, original_shown: str) -> list[str]:
    """A translation carries no notes of its own, and the revision it follows has a date."""
    values, node, problems = _front_matter(path, shown)
    if problems:
        return problems
    keys = _key_lines(node)
    if "changes" in values:
        problems.append(
            f"{shown}:{keys['changes'][0]}: change notes belong in the Finnish original {original_shown}: "
            "move them there (a translated note goes under the entry's note:, e.g. note: {fi: ..., sv: ...})"
        )
    got = values.get("source_revision")
    if (
        original is not None
        and isinstance(got, int)
        and not isinstance(got, bool)
        and original.change(min(got, original.revision)) is None
    ):
        problems.append(
            f"{shown}:{keys['source_revision'][0]}: source_revision {got} has no entry in "
            f"{original_shown} ('changes' starts at revision {original.changes[-1].revision}): set the "
            "revision of the original this translation follows"
        )
    return problems


def load(
    docs: Path, languages: Sequence[str], shown_root: Path, today: dt.date
) -> tuple[dict[str, PageHistory], list[str]]:
    """Every Finnish page's history and every problem of the sources (docs/<lang>/**/*.md)."""

    root = shown_root.resolve()

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    default = languages[0]
    histories: dict[str, PageHistory] = {}
    problems: list[str] = []
    base = docs / default
    for path in sorted(base.rglob("*.md")):
        norm_src = path.relative_to(base).as_posix()
        history, found = check_original(path, shown(path), norm_src, languages, today)
        problems += found
        if history is not None:
            histories[norm_src] = history
    for lang in languages[1:]:
        for path in sorted((docs / lang).rglob("*.md")):
            norm_src = path.relative_to(docs / lang).as_posix()
            original = base / norm_src
            problems += check_translation(path, shown(path), histories.get(norm_src), shown(original))
    return histories, problems


# --------------------------------------------------------------------------- on the page


def format_day(day: dt.date, ui: Mapping[str, str]) -> str:
    """6.12.2026 (fi, sv) or 6 December 2026 (en): CLDR's format named in data/strings.yml."""
    return _format_day(day, ui["history_date_format"], ui["org_date_locale"])


@lru_cache(maxsize=4096)  # a pure function (babel's data do not change in a process): every page shows dates
def _format_day(day: dt.date, date_format: str, locale: str) -> str:
    return format_date(day, format=date_format, locale=locale)


def _time(day: dt.date, ui: Mapping[str, str]) -> str:
    return f'<time datetime="{day.isoformat()}">{html.escape(format_day(day, ui))}</time>'


def _note_html(change: Change, lang: str, default: str, ui: Mapping[str, str]) -> str:
    found = change.note(lang, default)
    if found is None:
        return html.escape(ui["history_first_version"])
    text, note_lang = found
    return f'<span lang="{note_lang}">{html.escape(text)}</span>' if note_lang != lang else html.escape(text)


def updated_html(
    history: PageHistory, follows: int, lang: str, default: str, ui: Mapping[str, str], not_searched: str
) -> str:
    """The "Updated" line, and the notes of the revisions up to ``follows`` in a details list."""
    items = "".join(
        f"<li>{_time(change.date, ui)}: {_note_html(change, lang, default, ui)}</li>"
        for change in history.shown(follows)
    )
    details = (
        f'<details class="page-history__all"><summary>{html.escape(ui["history_see_all"])}</summary>'
        f"<ul>{items}</ul></details>"
        if items
        else ""
    )
    return (
        f'<div class="page-history" lang="{lang}" {not_searched}>'
        f'<p class="page-history__updated">{html.escape(ui["history_updated"])} '
        f"{_time(history.date_of(follows), ui)}</p>{details}</div>"
    )


def pending_html(history: PageHistory, follows: int, lang: str, default: str, ui: Mapping[str, str]) -> str:
    """For the outdated-translation notice: the notes of the original's revisions after ``follows``."""
    pending = [change for change in history.changes if change.revision > follows]
    if not pending:
        return ""
    items = "".join(f"<li>{_time(c.date, ui)}: {_note_html(c, lang, default, ui)}</li>" for c in pending)
    return f'<p>{html.escape(ui["history_pending"])}</p><ul class="translation-notice__changes">{items}</ul>'


# --------------------------------------------------------------------------- feeds


@dataclass(frozen=True)
class FeedPage:
    """What a feed needs of one page in one language."""

    url: str  # absolute URL of the page in the feed's language (a fallback copy when untranslated)
    title: str
    title_lang: str
    alternates: Sequence[tuple[str, str]]  # (hreflang, absolute URL) of the real translations


def _rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feed_xml(
    *,
    lang: str,
    default: str,
    title: str,
    site_name: str,
    feed_url: str,
    home_url: str,
    histories: Mapping[str, PageHistory],
    pages: Mapping[str, FeedPage],
    ui: Mapping[str, str],
) -> str:
    """An Atom 1.0 feed (RFC 4287) of the change notes, in one language."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    entries = [
        (change, norm_src)
        for norm_src, history in histories.items()
        if norm_src in pages
        for change in history.shown(history.revision)
    ]
    entries.sort(key=lambda item: (item[0].date, item[0].revision, item[1]), reverse=True)
    newest = max((change.date for change, _ in entries), default=HISTORY_START)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: lang})
    sub(feed, "id", feed_url)
    sub(feed, "title", title)
    sub(feed, "updated", _rfc3339(newest))
    author = sub(feed, "author")
    sub(author, "name", site_name)
    sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    sub(feed, "link", rel="alternate", type="text/html", hreflang=lang, href=home_url)
    for change, norm_src in entries:
        page = pages[norm_src]
        entry = sub(feed, "entry")
        sub(entry, "id", f"{page.url}#revision-{change.revision}")
        entry_title = sub(entry, "title", page.title)
        if page.title_lang != lang:
            entry_title.set(XML_LANG, page.title_lang)
        sub(entry, "updated", _rfc3339(change.date))
        sub(entry, "link", rel="alternate", type="text/html", hreflang=lang, href=page.url)
        for code, url in page.alternates:
            if code not in (lang, "x-default"):
                sub(entry, "link", rel="alternate", type="text/html", hreflang=code, href=url)
        found = change.note(lang, default)
        summary = sub(entry, "summary", found[0] if found else ui["history_first_version"])
        if found and found[1] != lang:
            summary.set(XML_LANG, found[1])
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- the build (called by translations.py)

_histories: dict[str, PageHistory] = {}
_original: list[str] = []  # the language of the originals, as mkdocs.yml says


def original_language(config: MkDocsConfig) -> str:
    """The language of the originals (Finnish): mkdocs.yml's default language, read from the file. A build
    of one language (static-i18n's build_only_locale) makes that language the default in memory, but the
    change notes stay in the Finnish pages."""
    if not _original:
        _original.append(content.languages(Path(config.config_file_path or ".").resolve().parent)[0])
    return _original[0]


def check_sources(config: MkDocsConfig) -> None:
    """on_config: read and check every page's history once per build; the inner language builds reuse it."""
    if getattr(i18n.i18n_plugin(config), "building", False) and _histories:
        return
    project = Path(config.config_file_path or ".").resolve().parent
    _original.clear()
    languages = content.languages(project)  # the original's language first, whatever is being built
    histories, problems = load(Path(config.docs_dir), languages, project, dt.date.today())
    if problems:
        raise PluginError(
            f"change notes ({len(problems)} problem(s); CONTRIBUTING.md#change-notes):\n" + "\n".join(problems)
        )
    _histories.clear()
    _histories.update(histories)
    _site_names.clear()


def page_history(norm_src: str) -> PageHistory | None:
    return _histories.get(norm_src)


def follows(config: MkDocsConfig, page: Page, status: str) -> tuple[PageHistory, int] | None:
    """(history, revision the page's text follows) for a page built from docs/, None for generated pages."""
    history = _histories.get(i18n.norm_src_uri(page))
    if history is None:
        return None
    if status == "fallback" or i18n.current_language(config) == original_language(config):
        return history, history.revision
    got = page.meta.get("source_revision")
    return history, got if isinstance(got, int) and not isinstance(got, bool) else history.revision


def add_updated(html_text: str, page: Page, config: MkDocsConfig, status: str) -> str:
    """on_page_content: the "Updated" line and the change notes, right after the page's H1."""
    found = follows(config, page, status)
    if found is None:
        return html_text
    history, revision = found
    lang = i18n.current_language(config)
    default = original_language(config)
    block = updated_html(history, revision, lang, default, i18n.strings_for(config, lang), i18n.NOT_SEARCHED)
    return insert_after_h1(html_text, block)


def insert_after_h1(html_text: str, block: str) -> str:
    end = html_text.find("</h1>")
    if end == -1:
        return block + html_text
    end += len("</h1>")
    return html_text[:end] + block + html_text[end:]


def pending_for(page: Page, config: MkDocsConfig) -> str:
    """The outdated-translation notice's list of the original's changes that this translation lacks."""
    history = _histories.get(i18n.norm_src_uri(page))
    got = page.meta.get("source_revision")
    if history is None or not isinstance(got, int):
        return ""
    lang = i18n.current_language(config)
    default = original_language(config)
    return pending_html(history, got, lang, default, i18n.strings_for(config, lang))


def feed_href(lang_prefix: str) -> str:
    """The feed of a language, relative to the site root: feed.xml, sv/feed.xml, ..."""
    return lang_prefix + FEED_NAME


_site_names: dict[str, str] = {}


def remember_language(config: MkDocsConfig) -> None:
    """on_env of each language build: its site name (a white-label overlay's, when there is one) for its feed."""
    _site_names[i18n.current_language(config)] = str(config.site_name)


def write_feeds(config: MkDocsConfig) -> None:
    """on_post_build, every language built: site/feed.xml, site/sv/feed.xml, ... (a single-language build
    writes that language's feed only: its pages link to no other)."""
    from urllib.parse import urljoin

    languages = i18n.site_languages(config)
    default = original_language(config)
    have = i18n.translations(config)
    for lang in languages:
        if lang.code not in _site_names:
            continue  # not built
        ui = i18n.strings_for(config, lang.code)
        pages: dict[str, FeedPage] = {}
        for norm_src in _histories:
            files = have.get(norm_src, {})
            source = files.get(lang.code) or files.get(default)
            if source is None:
                continue
            pages[norm_src] = FeedPage(
                url=i18n.absolute_url(config, lang, norm_src),
                title=str(i18n._front_matter(config, source).get("title") or norm_src),
                title_lang=lang.code if lang.code in files else default,
                alternates=i18n.alternate_links(config, norm_src),
            )
        site_name = _site_names[lang.code]
        text = feed_xml(
            lang=lang.code,
            default=default,
            title=ui["feed_title"].replace("{site}", site_name),
            site_name=site_name,
            feed_url=urljoin(config.site_url or "/", feed_href(lang.prefix)),
            home_url=urljoin(config.site_url or "/", lang.prefix),
            histories=_histories,
            pages=pages,
            ui=ui,
        )
        target = Path(config.site_dir) / feed_href(lang.prefix)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

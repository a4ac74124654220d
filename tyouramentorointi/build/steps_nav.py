"""Step-by-step navigation of the mentoring (the GOV.UK "step by step" pattern), in every language.

Shown on the process pages and on every worksheet: the three phases as numbered steps, each with its
process page and the worksheets of that phase, then the worksheets for any time (``phase: any``); the
current page is marked ``aria-current="page"``. The data come from two places, never from a list per
language:

- the navigation of mkdocs.yml: the section whose first page is ``process/index.md`` (the overview; its
  title heads the steps) and, in that order, the process pages of the phases. A process page is named
  after its phase (``process/start.md`` is the phase ``start`` of the worksheets' front matter), so the
  order of the steps is the order of the nav;
- the worksheets' front matter (``phase``, ``worksheet``, ``title``), as tyouramentorointi/build/worksheets.py
  validated it for the language being built (fallback copies included, marked with their language).

overrides/partials/step-nav.html renders ``step_nav`` (the context this module puts on a page) as plain
HTML: every step open, headings and links, usable without JavaScript. docs/assets/javascripts/step-nav.js
then makes each step's heading a button with ``aria-expanded`` and adds "show all / hide all" (texts from
data/strings.yml, keys ``step_nav_*``); the step that holds the current page starts open.

Called from worksheets.py's ``on_page_context`` (the worksheet hook owns the phases): no hook of its own.
A process page of the nav that is not named after a phase, or a phase of the worksheets without a process
page, stops the build with mkdocs.yml's line and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from tyouramentorointi.build import translations

OVERVIEW = "process/index.md"
PROCESS_DIR = "process/"
ANY_PHASE = "any"  # worksheets for any time: a group after the numbered steps


@dataclass
class Link:
    href: str
    title: str
    lang: str | None  # the language of the title when it is not the page's (an untranslated page)
    current: bool


@dataclass
class Step:
    phase: str
    number: int | None  # None for the worksheets of any phase
    title: str
    lang: str | None
    page: Link | None  # the process page of the phase
    worksheets: list[Link] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool((self.page and self.page.current) or any(link.current for link in self.worksheets))


@dataclass
class StepNav:
    overview: Link
    steps: list[Step]
    any_time: Step | None


def _norm(page: Page) -> str:
    return translations.norm_src_uri(page)


def _process_section(nav: Navigation) -> Section | None:
    """The nav section whose first page is the overview (the section's name is translated, its files not)."""
    stack: list[Any] = list(nav.items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, Section):
            pages = [child for child in item.children if isinstance(child, Page)]
            if pages and _norm(pages[0]) == OVERVIEW:
                return item
            stack.extend(item.children)
    return None


def _nav_line(config: MkDocsConfig, src: str) -> str:
    """mkdocs.yml:line of a nav entry, for an error message."""
    path = Path(config.config_file_path or "mkdocs.yml")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return path.name
    line = next((i for i, text in enumerate(lines, start=1) if text.strip().endswith(src)), 1)
    return f"{path.name}:{line}"


def _lang_of(page: Page, lang: str) -> str | None:
    locale = getattr(page.file, "locale", lang) or lang
    return locale if locale != lang else None


def build(page: Page, config: MkDocsConfig, nav: Navigation) -> StepNav | None:
    """The step-by-step navigation for a process page or a worksheet; None on other pages."""
    # imported here: worksheets.py imports this module for its on_page_context
    from tyouramentorointi.build import worksheets

    src = _norm(page)
    if not (src.startswith(PROCESS_DIR) or worksheets.is_worksheet_src(src)):
        return None
    section = _process_section(nav)
    if section is None:
        raise PluginError(
            f"{_nav_line(config, OVERVIEW)}: the step-by-step navigation needs a nav section that starts with "
            f"{OVERVIEW} (the overview of the phases), followed by one process page per phase"
        )
    lang = translations.current_language(config)
    sheets = worksheets.sorted_worksheets(lang)
    phases = [phase for phase in worksheets.PHASES if phase != ANY_PHASE]

    def link(url: str, title: str, fallback_lang: str | None) -> Link:
        return Link(get_relative_url(url, page.url), title, fallback_lang, url == page.url)

    pages = [child for child in section.children if isinstance(child, Page)]
    overview = pages[0]
    steps: list[Step] = []
    for child in pages[1:]:
        child_src = _norm(child)
        phase = child_src.removeprefix(PROCESS_DIR).removesuffix(".md")
        if phase not in phases:
            raise PluginError(
                f"{_nav_line(config, child_src)}: {child_src} is in the process section of the nav, but it is not "
                f"named after a phase ({', '.join(p + '.md' for p in phases)}): rename it, or move it out of the "
                "section (the step-by-step navigation makes one step of each process page)"
            )
        title = str(child.title or phase)
        steps.append(
            Step(
                phase=phase,
                number=len(steps) + 1,
                title=title,
                lang=_lang_of(child, lang),
                page=link(child.url, title, _lang_of(child, lang)),
                worksheets=[link(ws.url, ws.title, _lang_of_sheet(ws, config)) for ws in sheets if ws.phase == phase],
            )
        )
    missing = [phase for phase in phases if phase not in {step.phase for step in steps} and _used(sheets, phase)]
    if missing:
        raise PluginError(
            f"{_nav_line(config, OVERVIEW)}: worksheets of the phase(s) {', '.join(missing)} have no process page: "
            f"add {', '.join(PROCESS_DIR + p + '.md' for p in missing)} to this nav section"
        )
    any_sheets = [link(ws.url, ws.title, _lang_of_sheet(ws, config)) for ws in sheets if ws.phase == ANY_PHASE]
    strings = translations.strings_for(config, lang)
    any_time = Step(ANY_PHASE, None, strings["worksheet_phase_any"], None, None, any_sheets) if any_sheets else None
    return StepNav(link(overview.url, str(overview.title or ""), _lang_of(overview, lang)), steps, any_time)


def _used(sheets: list[Any], phase: str) -> bool:
    return any(ws.phase == phase for ws in sheets)


def _lang_of_sheet(ws: Any, config: MkDocsConfig) -> str | None:
    return translations.site_languages(config)[0].code if ws.fallback else None


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    context["step_nav"] = build(page, config, nav)
    return context

"""Share cards, structured data and the "edit this page" link of every page.

- **Share metadata** in every page's ``<head>`` (overrides/main.html renders ``share``): Open Graph
  (``og:title``, ``og:description``, ``og:url``, ``og:locale`` and one ``og:locale:alternate`` per real
  translation, ``og:image`` with its size and ``og:image:alt``), ``twitter:card``, and JSON-LD: a schema.org
  ``WebPage`` (``FAQPage`` on the FAQ, with every question and its answer as the page shows them) with
  ``inLanguage``, ``dateModified`` and ``isPartOf`` (the ``WebSite`` of the language). The JSON-LD is a
  ``<script type="application/ld+json">`` data block: browsers never run it, and hooks/csp.py hashes only
  script types that run, so the Content-Security-Policy needs no 'unsafe-inline' for it.
  A page built from the Finnish original (a missing translation) describes the original: ``og:url`` is its
  canonical (the original's address), ``og:locale`` and ``inLanguage`` Finnish, the Finnish card.
  ``og:locale`` values come from data/strings.yml (``og_locale``), like every per-language text.
- **Share cards**: one PNG per language, ``assets/cards/<lang>.png`` (1200x630), drawn by Pillow (pinned) when
  the build ends: the site's name and description of that language (an overlay's name too) in white on the
  brand colour (or the overlay's accent; the overlay checked its contrast), with the logo's two figures
  unless an overlay brings its own logo. The letters come from DejaVu Sans, the font the build's Debian
  package ``fonts-dejavu-core`` installs (the PDFs use it too): no font or service from outside. A card
  over CARD_MAX_BYTES fails the build with the file and what to do. ``og:image:alt`` is the card's text.
- **Edit this page**: a link to the page's own Markdown file in its language,
  ``{repo_url}/edit/main/docs/<lang>/<path>.md`` (GitHub's editor, which forks for people without write
  access). ``repo_url`` is the address tyouramentorointi/build/overlay.py resolved (REPO_URL; empty: no
  link). A page missing in the language (built from the Finnish file) links to GitHub's new-file form
  for ``docs/<lang>/<path>.md`` instead: "translate this page".
- **dateModified**: the date the page shows as updated, from the change notes of the Finnish originals
  (tyouramentorointi/build/history.py; DEVELOPMENT.md#dates-and-change-notes says why not git).

Called from overlay.py (``on_config``: the card texts; ``on_page_content``: the FAQ; ``on_page_context``;
``on_post_build``: the cards).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from selectolax.lexbor import LexborHTMLParser

from tyouramentorointi.build import history, translations
from tyouramentorointi.core import cache

CARD_DIR = "assets/cards"
CARD_SIZE = (1200, 630)
CARD_MAX_BYTES = 100_000  # what share previews load without complaint; ours are about 20 KB
BRAND = "#0b5a8a"  # docs/assets/stylesheets/site.css --md-primary-fg-color: white on it is 7.4:1
DEFAULT_LOGO = "assets/images/logo.svg"
FONT_FILES = {
    "bold": ("DejaVu Sans:style=Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    "regular": ("DejaVu Sans:style=Book", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
}
FAQ_PAGE = "faq.md"
EDIT_BRANCH = "main"  # the branch the Pages workflow publishes (.github/workflows/pages.yml)


@dataclass(frozen=True)
class CardText:
    name: str
    description: str


# --------------------------------------------------------------------------- the card texts


_cards: dict[str, CardText] = {}
_card_style: dict[str, Any] = {}


def configure(config: MkDocsConfig, overlay: dict[str, Any]) -> None:
    """Remember every language's card text (the overlay's name wins) and the colours; at each language's
    on_config, after the overlay has set the site's name."""
    lang = translations.current_language(config)
    name = overlay.get("name")
    for item in translations.i18n_plugin(config).config.languages:
        if item.locale == "null":
            continue
        if isinstance(name, dict):
            site_name = str(name.get(item.locale) or next(iter(name.values())))
        else:
            site_name = str(name or item.site_name or config.site_name)
        description = item.site_description or config.site_description or ""
        if item.locale == lang:  # the build's own values, as the pages show them
            site_name, description = config.site_name, config.site_description or description
        _cards[item.locale] = CardText(site_name.strip(), str(description).strip())
    _card_style.update(colour=overlay.get("accent") or BRAND, logo=not overlay.get("logo"))


def card_path(lang: str) -> str:
    return f"{CARD_DIR}/{lang}.png"


def card_alt(lang: str) -> str:
    text = _cards[lang]
    return f"{text.name} – {text.description}" if text.description else text.name


# --------------------------------------------------------------------------- drawing the cards


@functools.lru_cache(maxsize=4)  # fc-match is a process: once per style and process, not per card
def _font_file(style: str) -> str:
    """The DejaVu Sans file: where fontconfig (which WeasyPrint uses too) finds it, else Debian's path."""
    pattern, debian = FONT_FILES[style]
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found.endswith(Path(debian).name) and Path(found).is_file():
            return found
    if Path(debian).is_file():
        return debian
    raise PluginError(
        f"the share cards ({CARD_DIR}/<lang>.png) need the font DejaVu Sans ({Path(debian).name}): install the "
        "Debian package fonts-dejavu-core (`make setup` does), or your system's DejaVu fonts"
    )


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    """Lines of text no wider than `width` pixels (textwrap by characters, then narrowed until they fit)."""
    for chars in range(60, 10, -2):
        lines = textwrap.wrap(text, chars)
        if all(draw.textlength(line, font=font) <= width for line in lines):
            return lines
    return textwrap.wrap(text, 10)


def _logo(draw: Any, x: int, y: int, scale: float, colour: str) -> None:
    """The two figures of docs/assets/images/logo.svg (a 24x24 drawing): heads as circles, shoulders as
    half ellipses, scaled and placed at (x, y)."""

    def box(left: float, top: float, right: float, bottom: float) -> tuple[float, float, float, float]:
        return (x + left * scale, y + top * scale, x + right * scale, y + bottom * scale)

    draw.ellipse(box(8 - 3.2, 7 - 3.2, 8 + 3.2, 7 + 3.2), fill=colour)
    draw.ellipse(box(16.5 - 2.4, 9 - 2.4, 16.5 + 2.4, 9 + 2.4), fill=colour)
    draw.pieslice(box(12.6, 12.2, 21.0, 22.8), 180, 360, fill=colour)
    draw.pieslice(box(2.5, 12.8, 13.5, 25.2), 180, 360, fill=colour)


def render_card(text: CardText, colour: str = BRAND, logo: bool = True) -> bytes:
    """The card as PNG bytes: drawn at twice the size and scaled down, for smooth edges."""
    from PIL import Image, ImageDraw, ImageFont

    scale = 2
    width, height = CARD_SIZE[0] * scale, CARD_SIZE[1] * scale
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    margin = 80 * scale
    top = margin
    if logo:
        _logo(draw, margin - 10 * scale, top, 7 * scale, "#ffffff")
        top += 190 * scale
    else:
        top += 60 * scale
    bold = ImageFont.truetype(_font_file("bold"), 68 * scale)
    regular = ImageFont.truetype(_font_file("regular"), 38 * scale)
    for line in _wrap(draw, text.name, bold, width - 2 * margin)[:2]:
        draw.text((margin, top), line, font=bold, fill="#ffffff")
        top += 84 * scale
    top += 24 * scale
    for line in _wrap(draw, text.description, regular, width - 2 * margin)[:4]:
        draw.text((margin, top), line, font=regular, fill="#ffffff")
        top += 52 * scale
    small = image.resize(CARD_SIZE, Image.Resampling.LANCZOS)
    # a palette of 64 colours is plenty for text on one colour, and a quarter of the bytes of full colour
    small = small.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cards_cache_dir() -> Path | None:
    """The user's cache, next to the worksheet PDFs' (core/cache.py); WORKSHEETS_PDF_CACHE=off turns both off."""
    return cache.persistent_dir("cards")


def cached_card(text: CardText, colour: str, logo: bool) -> bytes:
    """``render_card``, kept on disk under a key of everything that goes into it: drawing a card takes about
    0.1 s of CPU (Pillow, the fonts), a tenth of the hooks' whole cost over the bare stack, and the cards are
    the same in almost every build. The key holds the texts, the colour, the fonts' files, Pillow's version
    and this module's source, so any change draws the card again."""
    folder = cards_cache_dir()
    fonts = [Path(_font_file(style)) for style in ("bold", "regular")]
    parts = [text.name, text.description, colour, str(logo), metadata.version("pillow"), Path(__file__).read_text()]
    parts += [f"{font}:{font.stat().st_size}:{font.stat().st_mtime_ns}" for font in fonts]
    key = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
    if folder is not None:
        try:
            return (folder / f"{key}.png").read_bytes()
        except OSError:
            pass
    data = render_card(text, colour, logo)
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f"{key}.{os.getpid()}.tmp"
            temporary.write_bytes(data)
            temporary.replace(folder / f"{key}.png")  # atomic: parallel builds (the tests) share the folder
        except OSError:
            pass  # a read-only cache is no reason to stop the build
    return data


def check_card_size(path: str, size: int, budget: int = CARD_MAX_BYTES) -> None:
    if size > budget:
        raise PluginError(
            f"{path}: the share card is {size / 1000:.0f} KB, over its budget of {budget / 1000:.0f} KB: shorten the "
            "site's name or description (mkdocs.yml, or the overlay's name), or draw less on the card "
            "(render_card in tyouramentorointi/build/share.py)"
        )


def write_cards(config: MkDocsConfig) -> None:
    """Every language's card into the site, after the last language is built."""
    site = Path(config.site_dir)
    for lang, text in _cards.items():
        data = cached_card(text, _card_style.get("colour", BRAND), _card_style.get("logo", True))
        check_card_size(card_path(lang), len(data), CARD_MAX_BYTES)
        target = site / card_path(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


# --------------------------------------------------------------------------- dates


def modified_date(config: MkDocsConfig, page: Page, status: str) -> str | None:
    """The day the page shows as updated ("Päivitetty"): the change-notes date of the revision its text
    follows (tyouramentorointi/build/history.py), YYYY-MM-DD; None for a page without history (generated)."""
    found = history.follows(config, page, status)
    if found is None:
        return None
    page_history, revision = found
    return page_history.date_of(revision).isoformat()


# --------------------------------------------------------------------------- the FAQ as data


def _text(node: Any) -> str:
    """The text of a node as the page shows it: its text nodes joined as they are, spaces collapsed."""
    return " ".join((node.text(deep=True, separator="") or "").split())


def faq_entries(content: str) -> list[tuple[str, str]]:
    """(question, answer) for every `##` heading of the FAQ's HTML and the text after it up to the next one;
    what is not content (print footers, notices: marked data-search-exclude by the hooks) is left out."""
    tree = LexborHTMLParser(content)
    entries: list[tuple[str, str]] = []
    for heading in tree.css("h2"):
        parts = []
        node = heading.next
        while node is not None and node.tag != "h2":
            if node.tag != "-comment" and "data-search-exclude" not in (node.attributes or {}):
                text = _text(node)
                if text:
                    parts.append(text)
            node = node.next
        entries.append((_text(heading), " ".join(parts)))
    return entries


# --------------------------------------------------------------------------- per page


def _languages(config: MkDocsConfig) -> dict[str, translations.Language]:
    return {lang.code: lang for lang in translations.site_languages(config)}


def edit_link(config: MkDocsConfig, page: Page) -> dict[str, str] | None:
    """{"href", "kind"}: the editor of the page's own file, or (a missing translation) the form that
    creates it; None without a repository."""
    repo = config.extra.get("repo_url")
    if not repo or not page.file.abs_src_path:  # no repository, or a generated page (no Markdown file)
        return None
    lang = translations.current_language(config)
    src = translations.norm_src_uri(page)
    target = f"docs/{lang}/{src}"
    if (getattr(page.file, "locale", lang) or lang) == lang:
        return {"href": f"{repo}/edit/{EDIT_BRANCH}/{quote(target)}", "kind": "edit"}
    folder, _, name = target.rpartition("/")
    return {"href": f"{repo}/new/{EDIT_BRANCH}/{quote(folder)}?filename={quote(name)}", "kind": "translate"}


def share_data(config: MkDocsConfig, page: Page, status: str) -> dict[str, Any]:
    """The meta tags (property, content) and the JSON-LD object of a page."""
    lang = translations.current_language(config)
    content_lang = getattr(page.file, "locale", lang) or lang
    langs = _languages(config)
    norm = translations.norm_src_uri(page)
    site_url = config.site_url or "/"
    url = page.canonical_url or translations.absolute_url(config, langs[content_lang], norm)
    title = str(page.meta.get("title") or page.title or config.site_name)
    description = str(page.meta.get("description") or config.site_description or "")
    strings = translations.strings_for(config, content_lang)
    have = translations.translations(config).get(norm, {})
    alternates = [
        translations.strings_for(config, code)["og_locale"] for code in langs if code != content_lang and code in have
    ]
    card = card_path(content_lang)
    meta: list[tuple[str, str]] = [
        ("og:type", "website" if norm == "index.md" else "article"),  # a language's home: the site
        ("og:site_name", _cards[content_lang].name if content_lang in _cards else config.site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
        ("og:locale", strings["og_locale"]),
        *[("og:locale:alternate", value) for value in alternates],
        ("og:image", urljoin(site_url, card)),
        ("og:image:type", "image/png"),
        ("og:image:width", str(CARD_SIZE[0])),
        ("og:image:height", str(CARD_SIZE[1])),
        ("og:image:alt", card_alt(content_lang) if content_lang in _cards else title),
        ("twitter:card", "summary_large_image"),
    ]
    home = translations.absolute_url(config, langs[content_lang], "index.md")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": content_lang,
        "isPartOf": {
            "@type": "WebSite",
            "name": _cards[content_lang].name if content_lang in _cards else config.site_name,
            "url": home,
        },
        "image": urljoin(site_url, card),
    }
    day = modified_date(config, page, status)
    if day:
        data["dateModified"] = day
    entries = _faq.pop(page.file.src_uri, None)
    if norm == FAQ_PAGE and entries is not None:
        data["@type"] = "FAQPage"
        data["mainEntity"] = [
            {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": answer}}
            for question, answer in entries
        ]
    return {"meta": meta, "json_ld": data}


def on_config(config: MkDocsConfig, overlay: dict[str, Any]) -> None:
    configure(config, overlay)


_faq: dict[str, list[tuple[str, str]]] = {}


def on_page_content(html_text: str, page: Page, config: MkDocsConfig) -> str:
    """The FAQ's questions and answers, read from the content as the hooks leave it and before Material's
    search renders the page: it strips the data-search-exclude marks that tell the hooks' additions apart."""
    if translations.norm_src_uri(page) == FAQ_PAGE:
        _faq[page.file.src_uri] = faq_entries(html_text)
    return html_text


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig) -> dict[str, Any]:
    # translations.py's on_page_context (an earlier hook) has said what the page is: current, behind, fallback
    context["share"] = share_data(config, page, str(context.get("translation_status") or "current"))
    context["edit_link"] = edit_link(config, page)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    if getattr(translations.i18n_plugin(config), "building", False):
        return  # one language of several: the cards are drawn once, for all, when all are built
    write_cards(config)

"""Check the editing conventions of docs/<lang>/*.md (the translation contract in front matter).

Usage: python -m tyouramentorointi check content [--format text|github|json] [--docs DIR]

Checks, each reported as FILE:LINE: message:
- every page exists in every language of mkdocs.yml (same file tree);
- front matter with a non-empty `title` and `description`; the original (default language) has an
  integer `revision`, each translation an integer `source_revision` no higher than the original's;
- every `##`…`######` heading has an explicit id (`{#id}`) and text under it (not directly another heading
  or the end of the file); a translation uses the same heading ids as the original, so that anchors match;
- terms against the glossary (data/terms.yml): words that must not be used in a language;
- promises of a feedback link, a contact or a reply time written as literal text (`PROMISES`): whether
  they are true depends on the build (hooks/overlay.py), so they may appear only through the placeholder
  lines that the build renders from its settings (%feedback-channel, %feedback-reply, %site-publisher).

Exit codes: 0 all good, 1 findings printed, 2 usage error (unknown option, missing docs folder).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import yaml

from tyouramentorointi.core import cache, frontmatter, loading
from tyouramentorointi.core.content import (
    DOCS,
    ROOT,
    Finding,
    FrontMatterError,
    languages,
    pages,
    report,
    split_front_matter,
)
from tyouramentorointi.core.findings import FORMATS
from tyouramentorointi.core.markdown import blank_code_spans, code_lines

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ID_RE = re.compile(r"\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
URL_RE = re.compile(r"\]\([^)]*\)|https?://\S+|\{[^}]*\}|^\s*%(?:field|log|table|column|option)\b[^|]*")
# Literal promises per language. The footer link, the contact and a reply time exist only when the build is
# configured for them (hooks/overlay.py), so their texts live in data/strings.yml behind placeholders.
PROMISES = {
    "fi": [r"palaute-?link\w*", r"\b\d+\s+(?:arki)?päivän\s+kuluessa"],
    "sv": [r"responslänk\w*", r"länken\s+respons\b", r"\binom\s+\d+\s+(?:arbets)?dagar\b"],
    "en": [r"feedback\s+link", r"\bwithin\s+\d+\s+(?:working\s+)?days\b"],
    "*": [r"mailto:"],
}
PROMISE_ADVICE = (
    "the build shows a feedback link, a contact and a reply time only as configured (SITE_OVERLAY, "
    "REPO_URL), so do not promise them in the text: put a placeholder line instead (%feedback-channel, "
    "%feedback-reply, %site-publisher, %feedback-privacy; see hooks/overlay.py)"
)


def headings(body: str, offset: int) -> list[tuple[int, int, str, str | None]]:
    """(line, level, text, explicit id) for the Markdown headings outside code fences."""
    out = []
    for number, (line, in_code) in enumerate(code_lines(body.splitlines()), start=offset + 1):
        match = None if in_code else HEADING_RE.match(line)
        if match:
            id_match = ID_RE.search(match.group(2))
            out.append((number, len(match.group(1)), match.group(2), id_match.group(1) if id_match else None))
    return out


def check_page(path: Path, is_original: bool, original_revision: int | None) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    text = path.read_text(encoding="utf-8")
    try:
        meta, fm_lines, body = split_front_matter(text)
    except FrontMatterError as exc:
        return [Finding(path, exc.line, exc.message)], []
    if meta is None:
        return [Finding(path, 1, "no front matter: start the file with ---, title:, description:, ---")], []
    for key in ("title", "description"):
        if not str(meta.get(key) or "").strip():
            findings.append(Finding(path, 1, f"front matter: '{key}' is missing or empty"))
    if is_original:
        if not isinstance(meta.get("revision"), int) or meta["revision"] < 1:
            findings.append(Finding(path, 1, "front matter: 'revision' must be a whole number ≥ 1 (the original)"))
    else:
        got = meta.get("source_revision")
        if not isinstance(got, int) or got < 1:
            findings.append(
                Finding(path, 1, "front matter: 'source_revision' must be the revision of the original it translates")
            )
        elif original_revision is not None and got > original_revision:
            findings.append(
                Finding(
                    path, 1, f"front matter: source_revision {got} is newer than the original ({original_revision})"
                )
            )
    lines = body.splitlines()
    found = headings(body, fm_lines)
    ids = []
    for number, level, heading, heading_id in found:
        if level >= 2 and heading_id is None:
            findings.append(Finding(path, number, f"heading '{heading}' needs an explicit id, e.g. {{#short-id}}"))
        if heading_id:
            ids.append(heading_id)
        # the section (up to the next heading of the same or a higher level) must hold some text
        section_is_empty = True
        for later in lines[number - fm_lines :]:
            match = HEADING_RE.match(later)
            if match and len(match.group(1)) <= level:
                break
            if later.strip() and not match:
                section_is_empty = False
                break
        if section_is_empty:
            findings.append(Finding(path, number, f"heading '{heading}' has no text under it"))
    return findings, ids


def check_terms(path: Path, lang: str, rel: str, rules: dict) -> list[Finding]:
    findings = []
    text = path.read_text(encoding="utf-8")
    try:
        _, fm_lines, _ = split_front_matter(text)
    except FrontMatterError:
        fm_lines = 0  # reported by check_page
    # the prose lines, once per page (not once per rule): front matter values such as `role: mentee` are
    # data, not prose, and addresses are not prose either
    prose = [
        (number, URL_RE.sub(" ", raw))
        for number, raw in enumerate(text.splitlines(), start=1)
        if number > fm_lines or raw.startswith(("title:", "description:"))
    ]
    for rule in rules.get(lang, []):
        if rel in rule.get("except_pages", []):
            continue
        pattern = re.compile(rule["pattern"], re.I)
        allow = re.compile(rule["allow_line"], re.I) if rule.get("allow_line") else None
        for number, line in prose:
            if pattern.search(line) and not (allow and allow.search(line)):
                findings.append(Finding(path, number, f"term: {rule['message']}"))
    return findings


def check_promises(path: Path, lang: str) -> list[Finding]:
    """Literal promises of a feedback link, a contact or a reply time (PROMISES), outside code."""
    patterns = [re.compile(p, re.I) for p in PROMISES.get(lang, []) + PROMISES["*"]]
    findings = []
    for number, (raw, in_code) in enumerate(code_lines(path.read_text(encoding="utf-8").splitlines()), start=1):
        if in_code or re.match(r"\s*%(?:field|log|table|column|option) ", raw):
            continue  # code, and worksheet fields (a pair's own reply time is their business)
        line = blank_code_spans(raw)
        for pattern in patterns:
            match = pattern.search(line)
            if match:
                findings.append(Finding(path, number, f"promise '{match.group(0)}': {PROMISE_ADVICE}"))
    return findings


def check(docs: Path, root: Path = ROOT) -> list[Finding]:
    langs = languages(root)
    original_lang = langs[0]
    trees = {lang: pages(lang, docs) for lang in langs}
    rules = loading.load_yaml_file(root / "data" / "terms.yml", "data/terms.yml") or {}
    # a page that cannot be read as UTF-8 is one finding, and the checks below skip it
    findings: list[Finding] = check_readable(docs)
    unreadable = {finding.path for finding in findings}
    trees = {lang: {rel: p for rel, p in tree.items() if p not in unreadable} for lang, tree in trees.items()}
    findings += check_conventions(docs, langs, trees) + check_nav_translations(root / "mkdocs.yml")
    for rel, path in trees[original_lang].items():
        page_findings, original_ids = check_page(path, True, None)
        findings += page_findings + check_terms(path, original_lang, rel, rules) + check_promises(path, original_lang)
        try:
            meta, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        except FrontMatterError:
            meta = None
        revision = meta.get("revision") if meta else None
        for lang in langs[1:]:
            other = trees[lang].get(rel)
            if other is None:
                findings.append(Finding(docs / lang / rel, 1, f"missing translation of docs/{original_lang}/{rel}"))
                continue
            page_findings, ids = check_page(other, False, revision if isinstance(revision, int) else None)
            findings += page_findings + check_terms(other, lang, rel, rules) + check_promises(other, lang)
            if set(ids) != set(original_ids):
                missing = sorted(set(original_ids) - set(ids))
                extra = sorted(set(ids) - set(original_ids))
                findings.append(
                    Finding(other, 1, f"heading ids differ from the original: missing {missing}, extra {extra}")
                )
    for lang in langs[1:]:
        for rel, path in trees[lang].items():
            if rel not in trees[original_lang]:
                findings.append(Finding(path, 1, f"no original docs/{original_lang}/{rel} for this translation"))
    return findings


# --------------------------------------------------------------------------- sources that cannot be read

# Files of docs/ that the build reads as text: a file that is not UTF-8 stops the build at its line.
TEXT_SUFFIXES = (".md",)


def check_readable(docs: Path, front_matter: bool = False) -> list[Finding]:
    """Pages that cannot be read as UTF-8 text (and, with ``front_matter``, whose front matter is not valid:
    the build checks both before MkDocs reads a page, so that neither ends in a traceback)."""
    findings: list[Finding] = []
    for path in sorted(p for p in docs.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file()):
        try:
            if front_matter:
                frontmatter.read(path)  # reads it too (cached between serve rebuilds)
            else:
                loading.read_text(path)
        except loading.LoadError as exc:
            findings.append(Finding(path, exc.line, exc.message))
        except FrontMatterError as exc:
            findings.append(Finding(path, exc.line, exc.message))
    return findings


# --------------------------------------------------------------------------- conventions of CONTRIBUTING

DESCRIPTION_LENGTH = (50, 160)  # CONTRIBUTING, "Front matter": one sentence of 50-160 characters
# An address on the editor's own computer, as `make serve` shows it: it works nowhere else.
LOOPBACK_RE = re.compile(
    r"(?:https?:)?//(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\])(?![\w.-])[^\s)>\]\"']*", re.I
)
HTTP_RE = re.compile(r"\bhttp://[^\s)>\]\"'`]+", re.I)
PLACEHOLDER_LINE_RE = re.compile(r"^%([a-z][a-z-]*)[ \t]*$")
# Pages that must hold a placeholder line in every language: the build replaces the line with generated
# content, and without it a language silently loses that content (hooks: worksheets, organisations,
# translations). Any other placeholder line of an original must be in its translations too.
REQUIRED_PLACEHOLDERS = {
    "materials/index.md": "worksheet-index",
    "get-involved/organisations.md": "organisations",
    "about/translation-status.md": "translation-status",
}


def own_addresses() -> list[str]:
    """The site's own published address (SITE_URL, as the Pages workflow sets it), for links that should be
    relative; empty when it is not known here (the output check of the build knows it: checks/output.py)."""
    value = os.environ.get("SITE_URL", "").strip()
    if not value or LOOPBACK_RE.match(value):
        return []
    return [value.rstrip("/") + "/"]


def _placeholders(text: str) -> dict[str, int]:
    """{name: line} of the placeholder lines (%name alone on a line) outside code."""
    out: dict[str, int] = {}
    for number, (line, in_code) in enumerate(code_lines(text.removeprefix("\ufeff").splitlines()), start=1):
        match = None if in_code else PLACEHOLDER_LINE_RE.match(line)
        if match:
            out.setdefault(match.group(1), number)
    return out


def check_page_conventions(path: Path, text: str, own: list[str]) -> list[Finding]:
    """One page: the title equals the `#` heading, the description's length, heading ids used once, and no
    link to the editor's own computer, to the site's own address or over plain http://."""
    try:
        meta = frontmatter.parse(text)
    except FrontMatterError:
        return []  # reported by check_page
    findings: list[Finding] = []
    title = str(meta.values.get("title") or "").strip()
    description = str(meta.values.get("description") or "").strip()
    low, high = DESCRIPTION_LENGTH
    if description and not low <= len(description) <= high:
        findings.append(
            Finding(
                path,
                meta.line_of("description"),
                f"front matter: the description has {len(description)} characters: write one sentence of "
                f"{low}-{high} characters (search engines and link previews cut longer ones)",
            )
        )
    h1: tuple[int, str] | None = None
    ids: dict[str, int] = {}
    lines = text.removeprefix("\ufeff").splitlines()
    for number, (raw, in_code) in enumerate(code_lines(lines), start=1):
        if number <= meta.length or in_code:
            continue
        heading = HEADING_RE.match(raw)
        if heading:
            if len(heading.group(1)) == 1 and h1 is None:
                h1 = (number, re.sub(r"\s*\{[^}]*\}\s*$", "", heading.group(2)).strip())
            id_match = ID_RE.search(heading.group(2))
            if id_match:
                first = ids.setdefault(id_match.group(1), number)
                if first != number:
                    findings.append(
                        Finding(
                            path,
                            number,
                            f"heading id '#{id_match.group(1)}' is already used on line {first}: give this heading "
                            "its own id (a link to the id would always go to the first heading)",
                        )
                    )
        line = blank_code_spans(raw)
        loopback = LOOPBACK_RE.search(line)
        if loopback:
            findings.append(
                Finding(
                    path,
                    number,
                    f"link to {loopback.group(0)}, an address on your own computer (make serve): link the page's "
                    ".md file relatively, e.g. [FAQ](../faq.md#time)",
                )
            )
            continue
        for address in own:
            if address in line:
                findings.append(
                    Finding(
                        path,
                        number,
                        f"link to the site's own address {address}: link the page's .md file relatively, e.g. "
                        "[FAQ](../faq.md#time), so that it works in every copy and language",
                    )
                )
        for insecure in HTTP_RE.finditer(line):
            findings.append(
                Finding(
                    path,
                    number,
                    f"http:// link {insecure.group(0)}: use the https:// address (open it in a browser to check "
                    "that it works)",
                )
            )
    if title and h1 is None:
        findings.append(Finding(path, meta.length + 1, f"no '# ' heading: start the text with '# {title}'"))
    elif title and h1 is not None and h1[1] != title:
        findings.append(
            Finding(
                path,
                h1[0],
                f"the heading '# {h1[1]}' differs from the front matter title '{title}' (line "
                f"{meta.line_of('title')}): make them the same",
            )
        )
    return findings


def check_placeholders(docs: Path, langs: list[str], trees: dict[str, dict[str, Path]]) -> list[Finding]:
    """REQUIRED_PLACEHOLDERS in the originals, and every placeholder line of an original in its translations."""
    findings: list[Finding] = []
    original = langs[0]
    for rel, path in trees[original].items():
        text = loading.read_text(path)
        have = _placeholders(text)
        required = REQUIRED_PLACEHOLDERS.get(rel)
        if required and required not in have:
            try:
                start = frontmatter.parse(text).length + 1
            except FrontMatterError:
                start = 1
            findings.append(
                Finding(
                    path,
                    start,
                    f"the line '%{required}' is missing: the build puts generated content there, so without it "
                    "the page loses it; put it back on a line of its own",
                )
            )
        for lang in langs[1:]:
            other = trees[lang].get(rel)
            if other is None:
                continue  # built from the original, with a notice
            theirs = _placeholders(loading.read_text(other))
            for name, line in have.items():
                if name not in theirs:
                    findings.append(
                        Finding(
                            other,
                            line,
                            f"the line '%{name}' is missing (docs/{original}/{rel} has it on line {line}): the "
                            f"build puts generated content there; put the line, alone, where the original has it",
                        )
                    )
    return findings


def check_conventions(docs: Path, langs: list[str], trees: dict[str, dict[str, Path]]) -> list[Finding]:
    """The conventions of CONTRIBUTING that the checks above do not cover (issue 19)."""
    own = own_addresses()
    findings: list[Finding] = []
    for lang in langs:
        for path in trees[lang].values():
            findings += check_page_conventions(path, loading.read_text(path), own)
    return findings + check_placeholders(docs, langs, trees)


def _compose_config(text: str) -> yaml.Node | None:
    return loading.compose_yaml(text, "mkdocs.yml")


def check_nav_translations(config_file: Path) -> list[Finding]:
    """Every label in mkdocs.yml's nav (a section, or a titled page) has a translation in the
    nav_translations of every other language: without one, that language's site shows the Finnish label."""
    node = cache.load(config_file, _compose_config)
    top = _mapping(node)
    labels: list[tuple[str, int]] = []

    def walk(items: yaml.Node | None) -> None:
        for item in items.value if isinstance(items, yaml.SequenceNode) else []:
            for key, value in _mapping(item).values():
                labels.append((str(key.value), key.start_mark.line + 1))
                walk(value)

    walk(top["nav"][1] if "nav" in top else None)
    findings: list[Finding] = []
    plugins = top["plugins"][1] if "plugins" in top else None
    for plugin in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        i18n = _mapping(plugin).get("i18n")
        if i18n is None:
            continue
        i18n_config = _mapping(i18n[1])
        languages_node = i18n_config["languages"][1] if "languages" in i18n_config else None
        for item in languages_node.value if isinstance(languages_node, yaml.SequenceNode) else []:
            entry = _mapping(item)
            locale = str(entry["locale"][1].value) if "locale" in entry else "?"
            default = "default" in entry and str(entry["default"][1].value).lower() == "true"
            if default or locale == "null":
                continue
            given = set(_mapping(entry["nav_translations"][1])) if "nav_translations" in entry else set()
            at = entry["locale"][0].start_mark.line + 1 if "locale" in entry else 1
            for label, line in labels:
                if label not in given:
                    findings.append(
                        Finding(
                            config_file,
                            line,
                            f"nav label '{label}' has no '{locale}' translation: add '{label}: …' under "
                            f"nav_translations of the language '{locale}' (line {at}); without it the {locale} "
                            "site shows the Finnish label",
                        )
                    )
    return findings


def _mapping(node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """{key: (key node, value node)} of a mapping node; empty for anything else."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): (key, value) for key, value in node.value}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--docs", type=Path, default=DOCS, help="docs folder (default: docs/)")
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        print(f"error: {args.docs} is not a folder", file=sys.stderr)
        return 2
    return report(check(args.docs), args.format)


if __name__ == "__main__":
    sys.exit(main())

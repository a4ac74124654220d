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
import re
import sys
from pathlib import Path

import yaml

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
    for rule in rules.get(lang, []):
        if rel in rule.get("except_pages", []):
            continue
        pattern = re.compile(rule["pattern"], re.I)
        allow = re.compile(rule["allow_line"], re.I) if rule.get("allow_line") else None
        try:
            _, fm_lines, _ = split_front_matter(text)
        except FrontMatterError:
            fm_lines = 0  # reported by check_page
        for number, raw in enumerate(text.splitlines(), start=1):
            if number <= fm_lines and not raw.startswith(("title:", "description:")):
                continue  # front matter values such as `role: mentee` are data, not prose
            line = URL_RE.sub(" ", raw)  # addresses are not prose
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


def check(docs: Path) -> list[Finding]:
    langs = languages()
    original_lang = langs[0]
    trees = {lang: pages(lang, docs) for lang in langs}
    rules = yaml.safe_load((ROOT / "data" / "terms.yml").read_text(encoding="utf-8")) or {}
    findings: list[Finding] = []
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

"""The worksheet syntax as a Python-Markdown extension: ``%field`` lines and their groups, ``%worksheet-index``.

The syntax (the page contract with the content writers) is described in tyouramentorointi/build/worksheets.py;
here the lines are read, checked and replaced, before any other preprocessor (the lines exactly as the page
has them), by placeholders that the build fills in after the Markdown is converted:
``<!--worksheet-field:N-->`` (the N-th field of the page, a raw HTML block of its own) and
``<!--worksheet-index-->``. Fenced code is left alone (core/markdown.py ``code_lines``).

Settings (``mdx_configs``; the build sets them for every page, build/worksheets.py ``on_page_markdown``):

- ``kind``: ``worksheet`` (the field lines), ``index`` (only ``%worksheet-index``), ``none``; ``auto`` (the
  default, for an engine without the hook) decides by the page: an index if it has a ``%worksheet-index``
  line, a worksheet if it has a ``%field``, ``%log`` or ``%table`` line;
- ``source`` and ``line_offset``: the file named in errors, and the lines before the Markdown body (the front
  matter), so that an error names the line of the file;
- ``fields``: called with the page's fields (``Field``), in the order of their placeholders;
- ``error``: the exception raised with every error of the page together, one ``file:line: ...`` a line
  (the build passes MkDocs' PluginError: one message, no traceback).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from tyouramentorointi.core.markdown import code_lines

FIELD_TYPES = ("text", "textarea", "date", "check", "radio")
ENTRY_FIELD_TYPES = ("text", "textarea", "date", "check")  # the fields of a log entry
COLUMN_TYPES = ("text", "date")
GROUP_CHILD = {"log": "field", "table": "column", "radio": "option"}  # what each group's indented lines are
FIELD_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
DIRECTIVE_RE = re.compile(r"^(\s*)%([a-z][a-z-]*)\b(.*)$")
INDEX_MARK = "<!--worksheet-index-->"
KINDS = ("auto", "worksheet", "index", "none")
# Before normalize_whitespace (30): the lines exactly as the page's Markdown has them.
PRIORITY = 35


class WorksheetSyntaxError(ValueError):
    """Every error of a page's worksheet lines, one ``file:line: ...`` a line."""


@dataclass
class Field:
    kind: str  # text, textarea, date, check, radio; log, table; option (of a radio), column (of a table)
    fid: str
    label: str
    hint: str
    line: int
    children: list[Field] = dataclass_field(default_factory=list)  # options, entry fields or columns


def _split(rest: str) -> tuple[list[str], list[str]]:
    """('%x a b | label | hint' after the name) -> (['a', 'b'], ['label', 'hint'])."""
    parts = [part.strip() for part in rest.split("|")]
    return parts[0].split(), parts[1:]


def _bad_id(what: str, fid: str, line: int, shown: str) -> str:
    return (
        f"{shown}:{line}: {what} id '{fid}' is not valid. Use lowercase ASCII letters, digits and hyphens, "
        f"starting with a letter (e.g. main-goal, interim-goal-1), the same in every language."
    )


def parse_field(rest: str, line: int, shown: str) -> tuple[Field | None, str | None]:
    """A field line after '%field', or an error 'file:line: ...'."""
    syntax = "Write '%field <type> <id> | <label> [| <hint>]'"
    head, tail = _split(rest)
    if len(head) != 2:
        return None, f"{shown}:{line}: a field line needs a type and an id before the first '|'. {syntax}."
    kind, fid = head
    if kind not in FIELD_TYPES:
        return None, (
            f"{shown}:{line}: unknown field type '{kind}'. Use one of: {', '.join(FIELD_TYPES)} "
            f"(text = one line, textarea = several lines, date, check = a checkbox, radio = one choice of "
            f"several, with indented '%option' lines)."
        )
    if not FIELD_ID_RE.match(fid):
        return None, _bad_id("field", fid, line, shown)
    if not tail or not tail[0]:
        return None, f"{shown}:{line}: field '{fid}' has no label. {syntax}."
    if len(tail) > 2:
        return None, f"{shown}:{line}: field '{fid}' has more than two '|'. {syntax}; a label cannot contain '|'."
    return Field(kind, fid, tail[0], tail[1] if len(tail) == 2 else "", line), None


def parse_group(name: str, rest: str, line: int, shown: str) -> tuple[Field | None, str | None]:
    """A '%log <id> | <entry label> [| <hint>]' or '%table <id> | <caption> [| <hint>]' line, or an error."""
    child = GROUP_CHILD[name]
    syntax = f"Write '%{name} <id> | <label> [| <hint>]' and under it indented '%{child}' lines"
    head, tail = _split(rest)
    if len(head) != 1:
        return None, f"{shown}:{line}: a '%{name}' line needs one id before the first '|'. {syntax}."
    fid = head[0]
    if not FIELD_ID_RE.match(fid):
        return None, _bad_id(name, fid, line, shown)
    if not tail or not tail[0]:
        return None, f"{shown}:{line}: {name} '{fid}' has no label. {syntax}."
    if len(tail) > 2:
        return None, f"{shown}:{line}: {name} '{fid}' has more than two '|'. {syntax}; a label cannot contain '|'."
    return Field(name, fid, tail[0], tail[1] if len(tail) == 2 else "", line), None


def parse_child(group: Field, name: str, rest: str, line: int, shown: str) -> tuple[Field | None, str | None]:
    """An indented line of a group: '%field' of a log, '%column [text|date] <id> | <label>' of a table,
    '%option <id> | <label>' of a radio field."""
    expected = GROUP_CHILD[group.kind]
    what = "radio field" if group.kind == "radio" else group.kind
    if name != expected:
        return None, (
            f"{shown}:{line}: '%{name}' cannot be inside the {what} '{group.fid}' (line {group.line}). "
            f"Under it come only indented '%{expected}' lines; end the {what} with an unindented line."
        )
    if name == "field":
        field, error = parse_field(rest, line, shown)
        if field is not None and field.kind not in ENTRY_FIELD_TYPES:
            return None, (
                f"{shown}:{line}: a field of the log '{group.fid}' cannot be of type '{field.kind}'. "
                f"Use one of: {', '.join(ENTRY_FIELD_TYPES)}."
            )
        return field, error
    head, tail = _split(rest)
    syntax = "Write '%column [text|date] <id> | <label>'" if name == "column" else "Write '%option <id> | <label>'"
    kind = "text" if name == "column" else "option"
    if name == "column" and len(head) == 2:
        kind, head = head[0], head[1:]
        if kind not in COLUMN_TYPES:
            return None, f"{shown}:{line}: unknown column type '{kind}'. Use one of: {', '.join(COLUMN_TYPES)}."
    if len(head) != 1:
        return None, f"{shown}:{line}: a '%{name}' line needs one id before the '|'. {syntax}."
    fid = head[0]
    if not FIELD_ID_RE.match(fid):
        return None, _bad_id(name, fid, line, shown)
    if not tail or not tail[0]:
        return None, f"{shown}:{line}: {name} '{fid}' has no label. {syntax}."
    if len(tail) > 1:
        return None, f"{shown}:{line}: {name} '{fid}' has more than one '|'. {syntax}; a label cannot contain '|'."
    return Field(kind, fid, tail[0], "", line), None


def check_group(group: Field, shown: str) -> str | None:
    """A group without enough indented lines under it: 'file:line: ...' (the group's line)."""
    need, child, example = {
        "log": (1, "field", "    %field date meeting-date | Date"),
        "table": (1, "column", "    %column employer | Employer"),
        "radio": (2, "option", "    %option continue | We continue as before."),
    }[group.kind]
    if len(group.children) >= need:
        return None
    what = "radio field" if group.kind == "radio" else group.kind
    return (
        f"{shown}:{group.line}: the {what} '{group.fid}' needs at least {need} indented '%{child}' "
        f"line{'s' if need > 1 else ''} right under it, e.g. '{example}'."
    )


def parse(lines: list[str], shown: str, offset: int, is_index: bool) -> tuple[list[str], list[Field], list[str]]:
    """The page's lines with placeholders, its fields and its errors (``file:line: ...``)."""
    fields: list[Field] = []
    seen: dict[str, int] = {}
    errors: list[str] = []
    out: list[str] = []
    group: Field | None = None  # the %log, %table or radio field whose indented lines follow
    broken = Field("broken", "", "", "", 0)  # a group whose own line is wrong: its lines are not checked

    def close() -> None:
        nonlocal group
        if group is not None and group is not broken:
            problem = check_group(group, shown)
            if problem:
                errors.append(problem)
        group = None

    for number, (text, in_code) in enumerate(code_lines(lines), start=offset + 1):
        if in_code:
            close()
            out.append(text)
            continue
        match = DIRECTIVE_RE.match(text)
        if not match:
            if text.strip():
                close()
            out.append(text)
            continue
        indent, name, rest = match.groups()
        if is_index:
            if name == "worksheet-index" and not indent and not rest.strip():
                out.append(f"\n{INDEX_MARK}\n")
            else:
                out.append(text)
            continue
        if indent:
            out.append("")
            if group is broken:
                continue
            if group is None:
                errors.append(
                    f"{shown}:{number}: an indented '%{name}' line belongs right under a '%log', '%table' or "
                    f"'%field radio' line. A '%field' line of the form itself starts at the beginning of the line."
                )
                continue
            child, error = parse_child(group, name, rest, number, shown)
            if error or child is None:
                errors.append(error or f"{shown}:{number}: invalid line")
                continue
            twin = next((c for c in group.children if c.fid == child.fid), None)
            if twin is not None:
                errors.append(
                    f"{shown}:{number}: {name} id '{child.fid}' is already used on line {twin.line} in "
                    f"'{group.fid}'. Every {name} needs its own id."
                )
                continue
            group.children.append(child)
            continue
        close()
        if name == "field":
            field, error = parse_field(rest, number, shown)
        elif name in ("log", "table"):
            field, error = parse_group(name, rest, number, shown)
        else:
            field, error = (
                None,
                (
                    f"{shown}:{number}: unknown line '%{name}'. Worksheet pages know only '%field', '%log' and "
                    f"'%table' lines, with their indented '%option', '%field' and '%column' lines "
                    f"('%worksheet-index' belongs in materials/index.md)."
                ),
            )
        if error or field is None:
            errors.append(error or f"{shown}:{number}: invalid field line")
            if name in ("log", "table") or rest.split()[:1] == ["radio"]:
                group = broken
            continue
        if field.fid in seen:
            errors.append(
                f"{shown}:{number}: field id '{field.fid}' is already used on line {seen[field.fid]}. "
                f"Every field on a page needs its own id."
            )
            group = broken if field.kind in GROUP_CHILD else None
            continue
        seen[field.fid] = number
        out.append(f"\n<!--worksheet-field:{len(fields)}-->\n")
        fields.append(field)
        if field.kind in GROUP_CHILD:
            group = field
    close()
    return "\n".join(out).split("\n"), fields, errors


_INDEX_LINE = re.compile(r"^%worksheet-index\s*$")
_FIELD_LINE = re.compile(r"^%(?:field|log|table)\b")


def detect(lines: list[str]) -> str:
    """``index``, ``worksheet`` or ``none``: what a page is, from its lines outside code (``kind: auto``)."""
    kind = "none"
    for text, in_code in code_lines(lines):
        if in_code:
            continue
        if _INDEX_LINE.match(text):
            return "index"
        if _FIELD_LINE.match(text):
            kind = "worksheet"
    return kind


def _ignore(fields: list[Field]) -> None:
    return None


class WorksheetPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, settings: dict[str, Any]) -> None:
        super().__init__(md)
        self.settings = settings

    def run(self, lines: list[str]) -> list[str]:
        kind = self.settings["kind"]
        if kind not in KINDS:
            raise ValueError(f"tyouramentorointi.markdown.worksheets: kind '{kind}' is not one of {', '.join(KINDS)}")
        if kind == "auto":
            kind = detect(lines)
        if kind == "none":
            return lines
        out, fields, errors = parse(lines, self.settings["source"], int(self.settings["line_offset"]), kind == "index")
        if errors:
            error: type[Exception] = self.settings["error"]
            raise error("Worksheet fields:\n" + "\n".join(errors))
        if kind == "worksheet":
            store: Callable[[list[Field]], None] = self.settings["fields"]
            store(fields)
        return out


class WorksheetExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "kind": ["auto", "worksheet, index, none or auto (decided by the page's lines)"],
            "source": ["page", "the file named in errors (docs/fi/materials/x.md)"],
            "line_offset": [0, "lines of the file before the Markdown body (front matter)"],
            "fields": [_ignore, "called with the page's fields, in the order of their placeholders"],
            "error": [WorksheetSyntaxError, "the exception class raised with the page's errors"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(WorksheetPreprocessor(md, self.getConfigs()), "worksheets", PRIORITY)


def makeExtension(**kwargs: Any) -> WorksheetExtension:  # noqa: N802 (Python-Markdown's name)
    return WorksheetExtension(**kwargs)

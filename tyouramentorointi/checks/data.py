#!/usr/bin/env python3
"""Validate the organisation entries in data/organisations/*.yaml.

What: every file (entry format v2) is checked against data/organisations.schema.json (JSON Schema 2020-12, no
unknown fields anywhere; it also says: a source needs url and read day, ``state: confirmed`` needs
``confirmed_on``, no ``mentor_groups`` with ``offers: find-mentor``, no ``open_to_all: yes`` with ``cost:
members-only``) plus the rules a schema cannot express: a field left ``unknown`` (languages, cost) while the
entry's description, eligibility or timing states it (``CLAIMS``), the id equals the file name and is unique,
no date (``verification``, ``sources[].read``) is in the future, language codes are ISO 639-1 codes, no key
appears twice, no YAML anchors or aliases, and every enum value of the schema has a reader-facing label in
data/strings.yml. data/link-status.json (the result of the last external link check of the entries' addresses,
optional) is checked too. Each problem names the file, the line and the field, e.g.
``data/organisations/auroras.yaml:7: url: must be a full address starting with https://``. Bad input (broken
YAML, aliases, duplicate keys, deep nesting) gives such a line, never a traceback.

The entries come from ``data/organisations/`` or, for tests and previews, from the folder named by the
environment variable ``ORGANISATIONS_DIR`` (relative to the project folder or absolute).

Why here: this is the one implementation. The build imports this file (hooks/organisations.py), so
``make build`` rejects bad data; editors can run it alone for a quick check:
``.venv/bin/python -m tyouramentorointi check data`` (exit 0 valid, 1 invalid, 2 usage error).

How lines are found: PyYAML composes each file into nodes that carry start marks; values are built from
those nodes, and jsonschema's error paths are mapped back to the node of the field.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from tyouramentorointi.core import cache, loading
from tyouramentorointi.core.findings import FORMATS, Finding, report

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path("data") / "organisations"
SCHEMA_FILE = Path("data") / "organisations.schema.json"
STRINGS_FILE = Path("data") / "strings.yml"
LINK_STATUS_FILE = Path("data") / "link-status.json"
DIR_ENV = "ORGANISATIONS_DIR"  # another folder of entries (tests, previews)
LINK_STATUS_ENV = "ORGANISATIONS_LINK_STATUS"  # another link-status file (tests)
# Languages that every entry may name without a label of their own in data/strings.yml: babel names them.
_LANGUAGE_NAMES = None

# Enum values whose label is the shared "not stated in our sources" string.
UNKNOWN = "unknown"
NOT_STATED_KEY = "org_not_stated"
# Other keys of data/strings.yml that hooks/organisations.py uses.
UI_KEYS = [
    "org_filter_legend",
    "org_filter_want",
    "org_filter_want_any",
    "org_filter_who",
    "org_filter_who_any",
    "org_filter_lang",
    "org_filter_lang_any",
    "org_filter_lang_hint",
    "org_filter_region",
    "org_filter_region_any",
    "org_filter_region_national",
    "org_filter_region_hint",
    "org_filter_open",
    "org_filter_reset",
    "org_filter_status",
    "org_filter_status_unstated",
    "org_filter_none",
    "org_unstated_card",
    "org_unstated_who",
    "org_unstated_lang",
    "org_unstated_region",
    "org_unstated_open",
    "org_jump_label",
    "org_field_for",
    "org_field_mentors",
    "org_field_offers",
    "org_field_languages",
    "org_field_region",
    "org_field_format",
    "org_field_cost",
    "org_field_eligibility",
    "org_field_notes",
    "org_field_uncertain",
    "org_field_timing",
    "org_field_open",
    "org_open_yes",
    "org_open_no",
    "org_status_uncertain",
    "org_provenance_compiled",
    "org_provenance_confirmed",
    "org_sources",
    "org_source_read",
    "org_link_failed",
    "org_correction",
    "org_link",
    "org_date_locale",
    "org_not_stated",
]

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One reason a file is invalid: where (file, line, field) and what."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Result:
    """Valid entries (JSON-compatible dicts, dates as YYYY-MM-DD, sorted by id) and all problems found."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Lines:
    """Line numbers (1-based) of the key and the value of every path in one YAML document."""

    def __init__(self) -> None:
        self.key: dict[Path_, int] = {}
        self.value: dict[Path_, int] = {}

    def of(self, path: Path_, *, key: bool = False) -> int:
        """The line of a path's value (or of its key), else of its nearest ancestor that exists."""
        path = tuple(path)
        while path:
            if key and path in self.key:
                return self.key[path]
            if path in self.value:
                return self.value[path]
            path = path[:-1]
        return self.value.get((), 1)


class _Builder:
    """Python values from composed YAML nodes, recording lines; duplicate keys are problems."""

    def __init__(self, display: str, *, yes_no_words: bool = False) -> None:
        self.display = display
        self.yes_no_words = yes_no_words  # entries: plain yes/no are the words of open_to_all, not booleans
        self.lines = _Lines()
        self.problems: list[Problem] = []
        self._scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: Path_ = ()) -> Any:
        self.lines.value.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node, path)
                key = key if isinstance(key, str) else str(key)
                child = (*path, key)
                if key in out:
                    first = self.lines.key[child]
                    self.problems.append(
                        Problem(
                            self.display,
                            key_node.start_mark.line + 1,
                            _field(child),
                            f"appears twice (first on line {first}); keep one",
                        )
                    )
                    continue
                self.lines.key[child] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problems.append(
                Problem(self.display, node.start_mark.line + 1, _field(path), "a key must be plain text")
            )
            return str(node.start_mark)
        try:
            value = self._scalars.construct_object(node)
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. 2026-13-01 looks like a date to YAML but is none: keep the text, the schema rejects it
            return node.value
        if self.yes_no_words and isinstance(value, bool) and node.style is None and node.value.lower() in ("yes", "no"):
            return node.value.lower()  # YAML 1.1 reads yes/no as booleans; the schema's values are words
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


def _field(path: Iterable[str | int]) -> str:
    """``("description", "sv")`` -> ``description.sv``; ``("target_groups", 2)`` -> ``target_groups[2]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_TYPE_NAMES = {
    "string": "text",
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "number"


def _leaves(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf, the errors of the branches that fit the value's type (not 'must be a list')."""
    if not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
    fitting = [
        errors
        for errors in branches.values()
        if not any(sub.validator == "type" and not sub.relative_path for sub in errors)
    ]
    if not fitting:
        return [error]
    out: list[ValidationError] = []
    for errors in fitting:
        for sub in errors:
            out.extend(_leaves(sub))
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(word: Any, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe_types(schema: dict[str, Any]) -> str:
    types: list[str] = []
    for branch in schema.get("anyOf", []) or schema.get("oneOf", []):
        ref = branch.get("$ref", "")
        if ref.endswith("url_map"):
            types.append("an https URL or a mapping of language versions (fi/sv/en/default)")
        elif ref.endswith("localised_text"):
            types.append("a mapping fi/sv/en")
        elif "const" in branch:
            types.append(repr(branch["const"]))
        elif "enum" in branch:
            types.extend(repr(v) for v in branch["enum"])
        elif branch.get("type") in _TYPE_NAMES:
            types.append(_TYPE_NAMES[branch["type"]])
        elif ref.endswith("https_url"):
            types.append("an https URL")
        elif ref.endswith("text"):
            types.append("text")
    return " or ".join(dict.fromkeys(types)) or "of another kind"


def _problems_for(error: ValidationError, display: str, lines: _Lines) -> Iterator[Problem]:
    path: Path_ = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-error")
    validator = error.validator
    if validator == "required":
        match = re.match(r"^'(.+)' is a required property$", error.message)
        name = match.group(1) if match else str(error.validator_value)
        where = lines.of(path, key=True) if path else lines.of(())
        what = custom or "required field is missing"
        if name in ("fi", "sv", "en"):
            what = f"the text in '{name}' is missing (every language of the site needs one)"
        yield Problem(display, where, _field((*path, name)), what)
    elif validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        for extra in [key for key in instance if key not in allowed]:
            yield Problem(
                display,
                lines.of((*path, extra), key=True),
                _field((*path, extra)),
                f"unknown field{_suggest(extra, allowed)}; allowed here: {', '.join(allowed)}",
            )
    elif validator in ("enum", "const"):
        choices = [str(v) for v in (error.validator_value if validator == "enum" else [error.validator_value])]
        yield Problem(
            display,
            lines.of(path),
            _field(path),
            f"{_short(error.instance)} is not allowed{_suggest(error.instance, choices)}; "
            f"use one of: {', '.join(choices)}",
        )
    elif validator == "not" and custom:
        target = (*path, schema["x-field"]) if "x-field" in schema else path
        yield Problem(display, lines.of(target, key=True), _field(target), custom)
    elif validator in ("pattern", "format", "minLength", "maxLength") and custom:
        yield Problem(display, lines.of(path), _field(path), f"{custom} (found {_short(error.instance)})")
    elif validator == "type":
        expected = error.validator_value
        names = [_TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)]
        yield Problem(
            display,
            lines.of(path),
            _field(path),
            f"must be {' or '.join(names)}, not {_TYPE_NAMES[_json_type(error.instance)]}",
        )
    elif validator == "minItems":
        yield Problem(display, lines.of(path), _field(path), f"must list at least {error.validator_value} item(s)")
    elif validator == "uniqueItems":
        yield Problem(display, lines.of(path), _field(path), "lists the same value twice")
    elif validator == "minProperties":
        yield Problem(display, lines.of(path), _field(path), "must not be empty")
    elif validator in ("anyOf", "oneOf"):
        yield Problem(display, lines.of(path), _field(path), f"must be {_describe_types(schema)}")
    else:
        yield Problem(display, lines.of(path), _field(path), error.message)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """A YAML syntax error: the line where the broken part begins, and the field named on that line."""
    mark = exc.problem_mark or exc.context_mark
    stop = mark.line + 1 if mark else 1
    # Where the broken construct began (an unclosed bracket or quote) is usually where the typo is.
    line = exc.context_mark.line + 1 if exc.context_mark else stop
    reason = exc.problem or "invalid YAML"
    if exc.context:
        reason = f"{exc.context}: {reason}"
    if stop != line:
        reason += f" on line {stop}"
    lines = text.splitlines()
    field_name = ""
    for number in (line, stop):
        if 0 < number <= len(lines):
            match = re.match(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:", lines[number - 1])
            if match:
                field_name = match.group(1)
                break
    return Problem(display, line, field_name, f"YAML syntax error: {reason}")


def load_schema(root: Path = ROOT) -> dict[str, Any]:
    """The JSON Schema of one entry (raises ValueError if the schema itself is broken)."""
    # jsonschema is imported when it is used: a build whose data is unchanged does not validate it again
    # (build/organisations.py keeps the valid entries between builds)
    from jsonschema import Draft202012Validator

    schema = json.loads((root / SCHEMA_FILE).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def schema_languages(schema: dict[str, Any]) -> list[str]:
    """The languages every localised text must have (the schema's ``$defs.localised_text.required``)."""
    return list(schema["$defs"]["localised_text"]["required"])


def validate_file(
    path: Path, validator: Draft202012Validator, display: str, today: dt.date
) -> tuple[dict[str, Any] | None, list[Problem], _Lines]:
    """One file: (data as read, or None if it is no mapping; problems; line table). Valid if no problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(display, 1, "", f"cannot be read: {exc}")], _Lines()
    builder = _Builder(display, yes_no_words=True)
    try:
        aliases = _anchors_and_aliases(text, display)
        if aliases:
            return None, sorted(set(aliases)), _Lines()
        node = cache.compose_yaml(text)
        if node is None:
            return None, [Problem(display, 1, "", "the file is empty")], _Lines()
        data = builder.build(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, display)], _Lines()
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, "", f"YAML syntax error: {exc}")], _Lines()
    except RecursionError:
        return None, [Problem(display, 1, "", "nested too deeply to be an entry")], _Lines()
    problems = list(builder.problems)
    lines = builder.lines
    if not isinstance(data, dict):
        problems.append(Problem(display, lines.of(()), "", "must be a mapping of fields (id: ..., name: ...)"))
        return None, problems, lines
    for error in validator.iter_errors(data):
        for leaf in _leaves(error):
            problems.extend(_problems_for(leaf, display, lines))
    entry_id = data.get("id")
    if isinstance(entry_id, str) and entry_id != path.stem:
        problems.append(
            Problem(display, lines.of(("id",)), "id", f"'{entry_id}' must equal the file name '{path.stem}'")
        )
    problems.extend(_future_dates(data, display, lines, today))
    problems.extend(_language_codes(data, display, lines))
    problems.extend(_unknown_but_claimed(data, display, lines))
    return data, sorted(set(problems)), lines


# A field left `unknown` while the entry's own text states it: the card would say "not stated" (and the
# filter would treat the entry as unknown) next to a sentence that states it. Per field: the words of a
# claim in every language of the texts. A claim that is uncertain belongs in `uncertain`, which is not read.
CLAIMS: dict[str, tuple[str, re.Pattern[str]]] = {
    "languages": (
        "the mentoring language",
        re.compile(
            r"\b(in (Finnish|Swedish|English)|(suomeksi|ruotsiksi|englanniksi)|"
            r"(suomen|ruotsin|englannin)(kielinen|kielisenä|kielellä)|på (finska|svenska|engelska))\b",
            re.I,
        ),
    ),
    "cost": (
        "the cost",
        re.compile(r"\b(free of charge|is free|maksuton\w*|ilmai\w+|avgiftsfri\w*|kostnadsfri\w*)\b", re.I),
    ),
}
CLAIM_TEXTS = ("description", "eligibility", "timing")


def _unknown_but_claimed(data: dict[str, Any], display: str, lines: _Lines) -> Iterator[Problem]:
    for field_name, (what, claim) in CLAIMS.items():
        if data.get(field_name) != "unknown":
            continue
        for text_field in CLAIM_TEXTS:
            texts = data.get(text_field)
            if not isinstance(texts, dict):
                continue
            for lang, text in texts.items():
                match = claim.search(text) if isinstance(text, str) else None
                if match:
                    yield Problem(
                        display,
                        lines.of((field_name,)),
                        field_name,
                        f"'unknown', but {text_field}.{lang} states {what} ('{match.group(0)}'): record it in "
                        f"{field_name}, or move the sentence to 'uncertain' if the source is not sure",
                    )
                    break


def _dates(data: dict[str, Any]) -> Iterator[Path_]:
    """The paths of every date of an entry: verification.compiled_on/confirmed_on, sources[i].read."""
    verification = data.get("verification")
    if isinstance(verification, dict):
        for key in ("compiled_on", "confirmed_on"):
            yield ("verification", key)
    sources = data.get("sources")
    if isinstance(sources, list):
        for index in range(len(sources)):
            yield ("sources", index, "read")


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _future_dates(data: dict[str, Any], display: str, lines: _Lines, today: dt.date) -> Iterator[Problem]:
    for path in _dates(data):
        value = _get(data, path)
        if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            continue  # missing, or not a date: the schema reports it
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            continue
        if day > today:
            yield Problem(
                display, lines.of(path), _field(path), f"{value} is in the future (today is {today.isoformat()})"
            )


def language_names() -> dict[str, str]:
    """ISO 639-1 codes known to babel (CLDR), with their English names."""
    global _LANGUAGE_NAMES
    if _LANGUAGE_NAMES is None:
        from babel import Locale

        _LANGUAGE_NAMES = {
            code: name for code, name in Locale("en").languages.items() if re.fullmatch("[a-z]{2}", code)
        }
    return _LANGUAGE_NAMES


def _language_codes(data: dict[str, Any], display: str, lines: _Lines) -> Iterator[Problem]:
    languages = data.get("languages")
    if not isinstance(languages, list):
        return
    for index, code in enumerate(languages):
        if isinstance(code, str) and re.fullmatch("[a-z]{2}", code) and code not in language_names():
            yield Problem(
                display,
                lines.of(("languages", index)),
                _field(("languages", index)),
                f"'{code}' is not an ISO 639-1 language code{_suggest(code, language_names())}",
            )


MAX_DEPTH = 20  # an entry nests four levels at most (sources -> item -> field); anything deeper is not one


def _anchors_and_aliases(text: str, display: str) -> list[Problem]:
    """YAML anchors (&a) and aliases (*a) are not allowed: they hide values and can blow up (billion laughs)."""
    found: list[Problem] = []
    depth = 0
    for event in cache.parse_yaml(text):
        # Nesting is counted here, on the event stream, because composing a deeply nested document
        # recurses until Python gives up, which takes seconds before the RecursionError.
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else 1
                return [Problem(display, line, "", "nested too deeply to be an entry")]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            what = f"the alias *{anchor}"
        elif anchor:
            what = f"the anchor &{anchor}"
        else:
            continue
        line = event.start_mark.line + 1 if event.start_mark else 1
        field_name = ""
        lines = text.splitlines()
        if 0 < line <= len(lines):
            match = re.match(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:", lines[line - 1])
            field_name = match.group(1) if match else ""
        found.append(Problem(display, line, field_name, f"{what} is not allowed: write the value out in full"))
        if len(found) >= 10:
            break
    return found


def entries_dir(root: Path = ROOT) -> Path:
    """The folder of the entries: $ORGANISATIONS_DIR (relative to root, or absolute) or data/organisations."""
    given = os.environ.get(DIR_ENV)
    return (root / given) if given else (root / DATA_DIR)


def link_status_file(root: Path = ROOT) -> Path:
    given = os.environ.get(LINK_STATUS_ENV)
    return (root / given) if given else (root / LINK_STATUS_FILE)


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_link_status(
    root: Path = ROOT, today: dt.date | None = None
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """data/link-status.json: {url: {"result": "ok"|"failed", "day": "YYYY-MM-DD"}}, and its problems.

    No file means no result: the cards then say nothing about the links.
    """
    today = today or dt.date.today()
    path = link_status_file(root)
    display = _display(path, root)
    if not path.is_file():
        return {}, []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(display, 1, "", f"cannot be read: {exc}")]
    except json.JSONDecodeError as exc:
        return {}, [Problem(display, exc.lineno, "", f"invalid JSON: {exc.msg}")]
    urls = document.get("urls") if isinstance(document, dict) else None
    if not isinstance(urls, dict) or document.get("version") != 1:
        return {}, [Problem(display, 1, "", 'must be {"version": 1, "urls": {URL: {"result": ..., "day": ...}}}')]
    text_lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(url: str) -> int:
        needle = json.dumps(url)
        return next((n for n, text in enumerate(text_lines, start=1) if needle in text), 1)

    out: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for url, item in urls.items():
        ok = (
            isinstance(item, dict)
            and item.get("result") in ("ok", "failed")
            and isinstance(item.get("day"), str)
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["day"])
        )
        try:
            future = ok and dt.date.fromisoformat(item["day"]) > today
        except ValueError:
            ok = future = False
        if not ok:
            problems.append(
                Problem(display, line_of(url), url, 'must be {"result": "ok" or "failed", "day": "YYYY-MM-DD"}')
            )
        elif future:
            problems.append(Problem(display, line_of(url), url, f"{item['day']} is in the future"))
        else:
            out[url] = {"result": item["result"], "day": item["day"]}
    return out, problems


def label_keys(schema: dict[str, Any]) -> list[str]:
    """Every data/strings.yml key that the cards and filters need for the schema's enum values."""
    keys: list[str] = list(UI_KEYS)

    def add(prefix: str, values: Iterable[Any]) -> None:
        for value in values:
            if value != UNKNOWN:
                keys.append(f"org_{prefix}_{str(value).replace('-', '_')}")

    defs = schema["$defs"]
    props = schema["properties"]
    add("category", props["category"]["enum"])
    add("offers", props["offers"]["enum"])
    add("group", defs["group"]["enum"])
    add("lang", schema_languages(schema))
    add("open", [v for v in props["open_to_all"]["enum"]])
    add("place", defs["place"]["enum"])
    add("cost", props["cost"]["enum"])
    add("format", props["format"]["enum"])
    add("region", [v for v in props["region"]["anyOf"][0]["enum"]])
    for category in props["category"]["enum"]:
        keys.append(f"org_category_{category.replace('-', '_')}_intro")
    for language in schema_languages(schema):
        keys.append(f"org_link_lang_{language}")
    return keys


def check_labels(root: Path, schema: dict[str, Any], languages: Iterable[str]) -> list[Problem]:
    """Every label the cards need exists in data/strings.yml in every language."""
    path = root / STRINGS_FILE
    display = STRINGS_FILE.as_posix()
    try:  # no aliases: building an alias bomb would never end (core/loading.py)
        text = loading.read_text(path, display)
        node = loading.compose_yaml(text, display)
    except loading.LoadError as exc:
        return [Problem(display, exc.line, "", exc.message)]
    builder = _Builder(display)
    strings = builder.build(node) if node is not None else {}
    if not isinstance(strings, dict):
        return [Problem(display, 1, "", "must be a mapping of string ids")]
    last_line = len(text.splitlines())
    problems = list(builder.problems)
    for key in label_keys(schema):
        values = strings.get(key)
        if not isinstance(values, dict):
            problems.append(
                Problem(display, last_line, key, "label missing: add it to the organisations block with fi/sv/en")
            )
            continue
        for lang in languages:
            if not values.get(lang):
                problems.append(
                    Problem(display, builder.lines.of((key,), key=True), f"{key}.{lang}", "translation missing")
                )
    return problems


def validate_data(root: Path = ROOT, today: dt.date | None = None, *, labels: bool = True) -> Result:
    """Validate every data/organisations/*.yaml of a project folder; duplicate ids are reported too."""
    today = today or dt.date.today()
    result = Result()
    try:
        schema = load_schema(root)
    except (OSError, ValueError) as exc:
        result.problems.append(Problem(SCHEMA_FILE.as_posix(), 1, "", f"invalid schema: {exc}"))
        return result
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    data_dir = entries_dir(root)
    files = sorted(p for p in data_dir.iterdir() if p.is_file()) if data_dir.is_dir() else []
    if not files:
        result.problems.append(Problem(_display(data_dir, root), 1, "", "no organisation files found"))
    seen: dict[str, tuple[str, int]] = {}
    for path in files:
        display = _display(path, root)
        if path.suffix != ".yaml":
            result.problems.append(Problem(display, 1, "", "unexpected file: entries are <id>.yaml files"))
            continue
        result.files.append(path)
        data, problems, lines = validate_file(path, validator, display, today)
        result.problems.extend(problems)
        if data is not None and not problems:
            result.entries.append(data)
        # Duplicate ids are checked on every id that was read, valid entry or not.
        raw_id = data.get("id") if data is not None else None
        if isinstance(raw_id, str):
            line = lines.of(("id",))
            if raw_id in seen:
                first_file, first_line = seen[raw_id]
                result.problems.append(
                    Problem(display, line, "id", f"duplicate id '{raw_id}': also used in {first_file}:{first_line}")
                )
            else:
                seen[raw_id] = (display, line)
    if labels:
        result.problems.extend(check_labels(root, schema, schema_languages(schema)))
    result.problems.extend(load_link_status(root, today)[1])
    result.entries.sort(key=lambda entry: entry["id"])
    result.problems.sort()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check data/organisations/*.yaml against data/organisations.schema.json and the extra rules "
        "(id = file name and unique, no date in the future, ISO 639-1 language codes, no YAML aliases, labels in "
        "data/strings.yml, data/link-status.json). Entries from $ORGANISATIONS_DIR if set. "
        "Exit status: 0 valid, 1 invalid data, 2 usage error.",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this repository)")
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=None, help="date for the future check (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="github: annotations; json: {findings, count} on stdout"
    )
    args = parser.parse_args(argv)
    if not (args.root / SCHEMA_FILE).is_file():
        parser.error(f"{args.root} has no {SCHEMA_FILE}")  # exits 2
    result = validate_data(args.root.resolve(), args.today)
    if args.format == "json":
        found = [
            Finding(Path(p.file), p.line, f"{p.field}: {p.message}" if p.field else p.message) for p in result.problems
        ]
        return report(found, "json")
    for problem in result.problems:
        if args.format == "github":
            print(f"::error file={problem.file},line={problem.line}::{problem.field or 'file'}: {problem.message}")
        else:
            print(problem, file=sys.stderr)
    if result.problems:
        print(f"{len(result.problems)} problem(s) in the organisation data", file=sys.stderr)
        return 1
    print(f"{_display(entries_dir(args.root.resolve()), args.root.resolve())}: {len(result.entries)} entries valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Reading what editors write: text as UTF-8, and YAML that can neither crash nor mislead the build.

Every file that a pull request can change and that the build or a check reads (pages under docs/, the YAML
of data/, front matter, the overlay of SITE_OVERLAY) is read through here, so that a broken or hostile file
ends in ONE line, ``file:line: what is wrong; what to do`` (``LoadError``), never in a traceback.

Text
    UTF-8. A byte-order mark at the start is accepted and dropped everywhere, as MkDocs itself reads pages
    (``utf-8-sig``) and as core/frontmatter.py reads front matter: Windows editors write one, it is
    invisible, and a check that saw it while the build did not would disagree with the build (a BOM used
    to hide a page's front matter from the translation hook only). Anything that is not UTF-8 is refused
    with the line of the first bad byte.

YAML
    PyYAML's SafeLoader (no Python objects), and on top of it, refused with the line:

    - anchors and aliases (``&a``, ``*a``): a 3 KB file of nested aliases ("billion laughs") expands to
      gigabytes in whatever walks it, and a recursive alias ends in a RecursionError; no file of this site
      needs them (CONTRIBUTING: "write every value out");
    - a key that appears twice in one mapping: PyYAML keeps the last one silently;
    - nesting deeper than ``MAX_DEPTH``: composing recurses once per level, so ``[[[[...`` would reach
      Python's recursion limit (a RecursionError after seconds);
    - a file larger than ``MAX_BYTES`` (the largest data file is ~40 KB).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

BOM = b"\xef\xbb\xbf"
MAX_DEPTH = 32  # the deepest real file (an organisation: sources -> item -> field) nests 4 levels
MAX_BYTES = 2_000_000
YAML_HINT = (
    "check the indentation, and put a value that contains ': ' or starts with a quote, [, {, &, *, !, % or @ "
    'in double quotes, e.g. description: "Text: more."'
)


class LoadError(ValueError):
    """A file that cannot be used: ``str()`` is the one line ``file:line: what; what to do``."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


def display(path: Path, root: Path | None = None) -> str:
    """A path as a contributor names it: relative to ``root`` (the project) when it is inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


# --------------------------------------------------------------------------- text


def decode(data: bytes, shown: str) -> str:
    """Bytes of a text file as str: UTF-8, a leading byte-order mark dropped; LoadError otherwise."""
    data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            shown,
            line,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} in column {column}); save the file with the encoding "
            "UTF-8 (in most editors: Save as, Encoding: UTF-8)",
        ) from None


def read_text(path: Path, shown: str | None = None) -> str:
    """A text file an editor controls, as str (see ``decode``); LoadError if it cannot be read."""
    shown = shown or path.as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(shown, 1, f"cannot be read ({exc.strerror or exc}); check that the file exists") from None
    return decode(data, shown)


# --------------------------------------------------------------------------- YAML


class _Refused(Exception):
    """Something StrictLoader refuses; ``{other}`` in the message is the file line of ``other``."""

    def __init__(self, mark: Any, message: str, other: Any = None) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.other = other


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, duplicate keys or deep nesting (see the module docstring).

    Dates stay text: PyYAML turns a date such as 2026-13-01 into a ValueError (a traceback) instead of a
    value, and the files that hold dates (change notes, organisations) check them as text with their line."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"the alias *{event.anchor} is not allowed: write the value out in full")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(event.start_mark, f"the anchor &{anchor} is not allowed: write the value out in full")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark, f"nested more than {MAX_DEPTH} levels deep: no file of this site needs that"
                )
            node = super().compose_node(parent, index)
            assert node is not None  # PyYAML returns a node or raises
            return node
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        node = super().compose_mapping_node(anchor)
        _check_keys(node)
        return node


def _check_keys(node: yaml.MappingNode) -> None:
    """Keys of one mapping: plain text, each once (PyYAML would keep the last of two silently)."""
    seen: dict[str, Any] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise _Refused(key.start_mark, "a key must be plain text, not a list or a mapping")
        first = seen.setdefault(str(key.value), key.start_mark)
        if first is not key.start_mark:
            raise _Refused(
                key.start_mark,
                f"'{key.value}' appears twice in the same block (first on line {{other}}); keep one",
                first,
            )


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line(mark: Any, first_line: int) -> int:
    return mark.line + first_line if mark is not None else first_line


def _check_size(text: str, shown: str, first_line: int) -> None:
    if len(text) > MAX_BYTES:
        raise LoadError(
            shown, first_line, f"larger than {MAX_BYTES // 1_000_000} MB: no file of this site is; split it"
        )


def _load_error(exc: BaseException, shown: str, first_line: int, hint: str) -> LoadError:
    """The one line for anything the loader refused or could not read."""
    if isinstance(exc, _Refused):
        message = exc.message.replace("{other}", str(_line(exc.other, first_line)))
        return LoadError(shown, _line(exc.mark, first_line), message)
    if isinstance(exc, yaml.constructor.ConstructorError):  # a tag such as !!python/object: never data
        return LoadError(shown, _line(exc.problem_mark, first_line), f"{exc.problem}; write a plain value, no ! tag")
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        mark = exc.problem_mark or exc.context_mark
        return LoadError(shown, _line(mark, first_line), f"not valid YAML ({problem}); {hint}")
    if isinstance(exc, RecursionError):  # belt and braces: MAX_DEPTH stops nesting long before
        return LoadError(shown, first_line, f"nested too deeply; {hint}")
    return LoadError(shown, first_line, f"not valid YAML ({exc}); {hint}")


# libyaml's parser and composer (C, ten times faster than PyYAML's own) with this module's resolver: the
# fast path. It refuses the same things, checked on the event stream and the node tree; on a syntax error the
# pure-Python StrictLoader runs instead, so that every message and line is the one it gives.
_CBase: Any = getattr(yaml, "CSafeLoader", None)


if _CBase is not None:

    class _FastLoader(_CBase):  # type: ignore[misc]
        """libyaml's CParser, PyYAML's SafeConstructor, StrictLoader's resolver (dates stay text)."""

    _FastLoader.yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers


def _fast_compose(text: str) -> tuple[Any, yaml.Node | None] | None:
    """(loader, node) by libyaml after the refusals of StrictLoader, or None without libyaml. Raises _Refused
    for what StrictLoader refuses, yaml.YAMLError for invalid YAML."""
    if _CBase is None:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_FastLoader):  # an event stream: no recursion, however deep
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"the alias *{event.anchor} is not allowed: write the value out in full")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(event.start_mark, f"the anchor &{anchor} is not allowed: write the value out in full")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark, f"nested more than {MAX_DEPTH} levels deep: no file of this site needs that"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    loader = _FastLoader(text)
    node = loader.get_single_node()
    if node is not None:
        as_pure_python(node, check_keys=True)
    return loader, node


def as_pure_python(node: yaml.Node, check_keys: bool = False) -> yaml.Node:
    """A node tree of libyaml's as PyYAML's own parser makes it: libyaml marks a plain scalar with the style
    "" where PyYAML has None (data.py's yes/no rule reads it). With ``check_keys``, every mapping's keys are
    checked as StrictLoader checks them."""
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, yaml.ScalarNode):
            if item.style == "":
                item.style = None
        elif isinstance(item, yaml.SequenceNode):
            todo.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            if check_keys:
                _check_keys(item)
            for key, value in item.value:
                todo += (key, value)
    return node


def parse_yaml(text: str, shown: str, first_line: int = 1, hint: str = YAML_HINT) -> tuple[Any, yaml.Node | None]:
    """(value, node) of one YAML document; the node's marks give lines (``mark.line + first_line``).

    ``first_line`` is the file's line of the text's first line (front matter starts on line 2).
    Raises LoadError with the file and line for anything refused or invalid."""
    _check_size(text, shown, first_line)
    try:
        fast = _fast_compose(text)
        if fast is not None:
            loader, node = fast
            return (loader.construct_document(node) if node is not None else None), node
    except _Refused as exc:
        raise _load_error(exc, shown, first_line, hint) from None
    except (yaml.YAMLError, ValueError):
        pass  # the pure-Python loader below gives the message and the line
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except (_Refused, yaml.YAMLError, RecursionError, ValueError) as exc:
        raise _load_error(exc, shown, first_line, hint) from None
    finally:
        loader.dispose()
    return value, node


def compose_yaml(text: str, shown: str, first_line: int = 1, hint: str = YAML_HINT) -> yaml.Node | None:
    """The node tree of one YAML document, not constructed: for files with tags of their own (mkdocs.yml's
    ``!ENV``), read for their structure and lines. The same refusals as ``parse_yaml``."""
    _check_size(text, shown, first_line)
    try:
        fast = _fast_compose(text)
        if fast is not None:
            return fast[1]
    except _Refused as exc:
        raise _load_error(exc, shown, first_line, hint) from None
    except yaml.YAMLError:
        pass  # the pure-Python loader below gives the message and the line
    loader = StrictLoader(text)
    try:
        return loader.get_single_node()
    except (_Refused, yaml.YAMLError, RecursionError) as exc:
        raise _load_error(exc, shown, first_line, hint) from None
    finally:
        loader.dispose()


def load_yaml(text: str, shown: str, first_line: int = 1, hint: str = YAML_HINT) -> Any:
    """The value of one YAML document (see ``parse_yaml``)."""
    return parse_yaml(text, shown, first_line, hint)[0]


def load_yaml_file(path: Path, shown: str | None = None, hint: str = YAML_HINT) -> Any:
    """The value of a YAML file an editor controls; LoadError with file:line for anything wrong."""
    shown = shown or path.as_posix()
    return load_yaml(read_text(path, shown), shown, 1, hint)


def parse_yaml_file(path: Path, shown: str | None = None, hint: str = YAML_HINT) -> tuple[Any, yaml.Node | None]:
    """(value, node) of a YAML file an editor controls (see ``parse_yaml``)."""
    shown = shown or path.as_posix()
    return parse_yaml(read_text(path, shown), shown, 1, hint)


def key_lines(node: yaml.Node | None, first_line: int = 1) -> dict[str, int]:
    """{key: line} of a mapping node's keys (empty for anything else)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + first_line for key, _value in node.value}

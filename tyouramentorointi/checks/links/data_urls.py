"""The addresses of the organisation directory (data/organisations/*.yaml) with file and line: findings on
the directory page point there, and ``url`` fields are checked with --external even when no page shows them.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

from tyouramentorointi.core import loading

from .project import Project, _project_rel


@dataclass
class DataURL:
    url: str
    source: str
    line: int
    checked_field: bool  # a `url` field: checked with --external even if no page shows it


def load_data_urls(project: Project) -> list[DataURL]:
    """Every URL-like string of data/organisations/*.yaml, with its file and line."""
    if project.root is None:
        return []
    folder = project.root / "data" / "organisations"
    out: list[DataURL] = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            # no aliases: walking an alias bomb would never end (core/loading.py)
            node = loading.compose_yaml(loading.read_text(path), _project_rel(project, path))
        except loading.LoadError as exc:
            print(f"check_links: warning: cannot read {path}: {exc}", file=sys.stderr)
            continue
        source = _project_rel(project, path)
        _walk_yaml(node, source, False, out)
    return out


def _walk_yaml(node: Any, source: str, in_url: bool, out: list[DataURL]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            is_url = in_url or (isinstance(key, yaml.ScalarNode) and str(key.value).lower() == "url")
            _walk_yaml(value, source, is_url, out)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk_yaml(item, source, in_url, out)
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        value = node.value.strip()
        if re.match(r"(?:https?://|mailto:|tel:|www\.)", value, re.I):
            out.append(DataURL(value, source, node.start_mark.line + 1, in_url))

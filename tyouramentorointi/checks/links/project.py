"""The project around the built site: mkdocs.yml (its folder, docs_dir and the language list, default
first), read without MkDocs; and project-relative paths for the findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tyouramentorointi.core.languages import parse_config

from .findings import UsageError


@dataclass
class Project:
    root: Path | None = None  # folder of mkdocs.yml
    docs_dir: Path | None = None
    languages: list[str] = field(default_factory=list)  # default first
    config_file: Path | None = None


def load_project(config: str | None, site_dir: Path) -> Project:
    if config == "":
        return Project()
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise UsageError(f"config file not found: {config}")
    else:
        candidates = [site_dir.resolve().parent / "mkdocs.yml", Path.cwd() / "mkdocs.yml"]
        found = [c for c in candidates if c.is_file()]
        if not found:
            return Project()
        path = found[0]
    try:
        data = parse_config(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    root = path.resolve().parent
    langs: list[tuple[bool, str]] = []
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            for item in plugin["i18n"].get("languages") or []:
                if isinstance(item, dict) and item.get("locale") and item["locale"] != "null":
                    langs.append((bool(item.get("default")), str(item["locale"])))
    if langs and not any(d for d, _ in langs):
        langs[0] = (True, langs[0][1])
    languages = [code for _, code in sorted(langs, key=lambda x: not x[0])]
    return Project(root, root / str(data.get("docs_dir") or "docs"), languages, path.resolve())


def _project_rel(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix() if project.root else str(path)
    except ValueError:
        return str(path)

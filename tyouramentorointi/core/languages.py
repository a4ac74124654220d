"""The one language list: ``plugins.i18n.languages`` in mkdocs.yml, read without MkDocs.

The build reads the same list through the i18n plugin's config (tyouramentorointi/build/translations.py
``site_languages``); both give ``Language`` values, default first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tyouramentorointi.core import cache


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    default: bool
    prefix: str  # "" for the default language, "sv/" for Swedish, ...


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its `!ENV` and `!!python/...` tags (irrelevant to the list)."""


# The same with libyaml's parser when PyYAML has it (ten times faster, the same values; core/cache.py load_yaml)
_FastMkDocsLoader: type[Any] | None = (
    type("_FastMkDocsLoader", (yaml.CSafeLoader,), {}) if hasattr(yaml, "CSafeLoader") else None
)
for _loader in (_MkDocsLoader, _FastMkDocsLoader):
    if _loader is not None:
        _loader.add_multi_constructor("!", lambda loader, suffix, node: None)
        _loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def make(code: str, name: str, default: bool) -> Language:
    return Language(code, name, default, "" if default else f"{code}/")


def read_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as data (tags ignored)."""
    config = cache.load(root / "mkdocs.yml", parse_config)  # parsed again only when mkdocs.yml changes
    return config if isinstance(config, dict) else {}


def parse_config(text: str) -> Any:
    """mkdocs.yml's text as data, its `!ENV` and `!!python/...` tags read as null (the link checker too)."""
    return parse_mkdocs_yml(text, _MkDocsLoader, _FastMkDocsLoader)


def parse_mkdocs_yml(text: str, loader: type[Any], fast: type[Any] | None) -> Any:
    """``yaml.load(text, Loader=loader)``, with ``fast`` (its libyaml twin) first; on an error the pure-Python
    parser runs again, so that messages and line numbers stay as they were."""
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=loader)


def languages(root: Path) -> list[Language]:
    """The site's languages, default first; SystemExit with one line when mkdocs.yml has no list."""
    for plugin in read_config(root).get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            items = [item for item in plugin["i18n"]["languages"] if item["locale"] != "null"]
            langs = [make(i["locale"], i.get("name", i["locale"]), bool(i.get("default"))) for i in items]
            return sorted(langs, key=lambda lang: not lang.default)
    raise SystemExit(f"{root / 'mkdocs.yml'}: no i18n plugin with a languages list (plugins.i18n.languages)")


def codes(root: Path) -> list[str]:
    """Language codes, default first."""
    return [lang.code for lang in languages(root)]


def prefix(lang: str, default: str) -> str:
    """The address prefix of a language: "" for the default, "sv/" for Swedish."""
    return "" if lang == default else f"{lang}/"

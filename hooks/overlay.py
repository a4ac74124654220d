"""White-label overlay: an organisation's name, logo, contact address and accent colour, no content fork.

Point `SITE_OVERLAY` at one small YAML file outside docs/ (see overlay.example.yml):
    SITE_OVERLAY=overlay.yml make build
Fields (all optional except `name`): `name` (one string, or one per language code), `logo` (an SVG or PNG
path relative to the overlay file), `contact` (an https:// or mailto: address; shown as the footer's
feedback link), `accent` (a #rrggbb colour for the header and links). The build refuses an accent colour
with less than 4.5:1 contrast against white (the header text and the page background), so the copy stays
WCAG 2.1 AA.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import translations as i18n
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

FIELDS = {"name", "logo", "contact", "accent"}


def contrast(hex_a: str, hex_b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""

    def luminance(value: str) -> float:
        channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def load_overlay() -> tuple[Path, dict[str, Any], dict[str, int]] | None:
    value = os.environ.get("SITE_OVERLAY")
    if not value:
        return None
    path = Path(value).resolve()
    if not path.is_file():
        raise PluginError(f"SITE_OVERLAY={value}: no such file")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise PluginError(f"{value}: invalid YAML: {exc}") from exc
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    if not isinstance(data, dict):
        raise PluginError(f"{value}:1: expected a mapping with {sorted(FIELDS)}")
    for key in data:
        if key not in FIELDS:
            raise PluginError(f"{value}:{lines.get(key, 1)}: unknown field '{key}' (allowed: {sorted(FIELDS)})")
    if "name" not in data:
        raise PluginError(f"{value}:1: 'name' is required")
    accent = data.get("accent")
    if accent is not None:
        if not isinstance(accent, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", accent):
            raise PluginError(f"{value}:{lines['accent']}: accent must be a colour like '#0b5a8a'")
        ratio = contrast(accent, "#ffffff")
        if ratio < 4.5:
            raise PluginError(
                f"{value}:{lines['accent']}: accent {accent} has {ratio:.2f}:1 contrast against white; "
                "WCAG 2.1 AA needs 4.5:1: choose a darker colour"
            )
    contact = data.get("contact")
    if contact is not None and not re.match(r"^(https://|mailto:)\S+$", str(contact)):
        raise PluginError(f"{value}:{lines['contact']}: contact must start with https:// or mailto:")
    if data.get("logo") and not (path.parent / data["logo"]).is_file():
        raise PluginError(f"{value}:{lines['logo']}: logo file '{data['logo']}' not found next to the overlay")
    return path, data, lines


@event_priority(-120)  # after static-i18n and the translations hook have set up the language being built
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    overlay = load_overlay()
    if overlay is None:
        return config
    _, data, _ = overlay
    name = data["name"]
    lang = i18n.current_language(config)
    config.site_name = str(name.get(lang) or next(iter(name.values()))) if isinstance(name, dict) else str(name)
    if data.get("contact"):
        config.extra["feedback_url"] = data["contact"]
    if data.get("logo"):
        config.theme["logo"] = "assets/overlay/logo" + Path(data["logo"]).suffix
    if data.get("accent") and "assets/overlay/overlay.css" not in config.extra_css:
        config.extra_css.append("assets/overlay/overlay.css")
    return config


@event_priority(-120)  # after static-i18n rebuilt the file list from docs/ (it would drop generated files)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    overlay = load_overlay()
    if overlay is None:
        return files
    path, data, _ = overlay
    if data.get("logo"):
        logo = path.parent / data["logo"]
        files.append(File.generated(config, "assets/overlay/logo" + logo.suffix, abs_src_path=str(logo)))
    if data.get("accent"):
        accent = data["accent"]
        css = (
            "/* generated from SITE_OVERLAY by hooks/overlay.py */\n"
            f':root, [data-md-color-scheme="default"], [data-md-color-scheme="slate"] {{\n'
            f"  --md-primary-fg-color: {accent};\n  --md-primary-fg-color--dark: {accent};\n}}\n"
            f'[data-md-color-scheme="default"] {{ --md-typeset-a-color: {accent}; }}\n'
        )
        files.append(File.generated(config, "assets/overlay/overlay.css", content=css))
    return files

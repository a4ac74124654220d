"""MkDocs entry point: the language list, the translation table (data/strings.yml), translation state.

The logic is in tyouramentorointi/build/translations.py; which events, at which priority and why: hooks/README.md.
"""

try:
    from tyouramentorointi.build.translations import (
        on_config,
        on_env,
        on_files,
        on_page_content,
        on_page_context,
        on_page_markdown,
        on_post_build,
        on_post_page,
        on_pre_build,
    )
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(
        f"hooks/translations.py: {exc}: run `make setup` (it installs the tyouramentorointi package)"
    ) from None

__all__ = [
    "on_config",
    "on_env",
    "on_files",
    "on_page_content",
    "on_page_context",
    "on_page_markdown",
    "on_post_build",
    "on_post_page",
    "on_pre_build",
]

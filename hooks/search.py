"""MkDocs entry point: search per language.

The logic is in tyouramentorointi/build/search.py; which events, at which priority and why: hooks/README.md.
"""

try:
    from tyouramentorointi.build.search import (
        on_config,
        on_page_context,
        on_post_build,
        on_post_page,
        on_post_template,
        on_pre_build,
    )
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(f"hooks/search.py: {exc}: run `make setup` (it installs the tyouramentorointi package)") from None

__all__ = ["on_config", "on_page_context", "on_post_build", "on_post_page", "on_post_template", "on_pre_build"]

"""MkDocs entry point: the self-hosting overlay (SITE_OVERLAY), the footer's feedback link, share cards and
the "edit this page" link.

The logic is in tyouramentorointi/build/overlay.py (and share.py); which events, at which priority and why:
hooks/README.md.
"""

try:
    from tyouramentorointi.build.overlay import (
        on_config,
        on_env,
        on_files,
        on_page_content,
        on_page_context,
        on_page_markdown,
        on_post_build,
    )
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(f"hooks/overlay.py: {exc}: run `make setup` (it installs the tyouramentorointi package)") from None

__all__ = [
    "on_config",
    "on_env",
    "on_files",
    "on_page_content",
    "on_page_context",
    "on_page_markdown",
    "on_post_build",
]

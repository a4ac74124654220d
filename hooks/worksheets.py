"""MkDocs entry point: worksheet forms (%field syntax) and their PDFs.

The logic is in tyouramentorointi/build/worksheets.py; which events, at which priority and why: hooks/README.md.
"""

try:
    from tyouramentorointi.build.worksheets import (
        on_files,
        on_page_content,
        on_page_context,
        on_page_markdown,
        on_post_build,
        on_startup,
    )
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(
        f"hooks/worksheets.py: {exc}: run `make setup` (it installs the tyouramentorointi package)"
    ) from None

__all__ = ["on_files", "on_page_content", "on_page_context", "on_page_markdown", "on_post_build", "on_startup"]

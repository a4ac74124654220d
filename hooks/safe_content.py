"""MkDocs entry point: the safe-content lint of the Markdown sources.

The logic is in tyouramentorointi/build/safe_content.py; which events, at which priority and why: hooks/README.md.
"""

try:
    from tyouramentorointi.build.safe_content import on_config, on_files, on_page_markdown
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(
        f"hooks/safe_content.py: {exc}: run `make setup` (it installs the tyouramentorointi package)"
    ) from None

__all__ = ["on_config", "on_files", "on_page_markdown"]

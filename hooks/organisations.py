"""MkDocs entry point: the directory of organisations (data/organisations/) and its JSON export.

The logic is in tyouramentorointi/build/organisations.py; which events, at which priority and why: hooks/README.md.
"""

try:
    from tyouramentorointi.build.organisations import on_config, on_files, on_page_markdown, on_post_build, on_serve
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(
        f"hooks/organisations.py: {exc}: run `make setup` (it installs the tyouramentorointi package)"
    ) from None

__all__ = ["on_config", "on_files", "on_page_markdown", "on_post_build", "on_serve"]

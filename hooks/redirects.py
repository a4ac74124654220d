"""MkDocs entry point: redirect pages for moved addresses (data/redirects.yml).

The logic is in tyouramentorointi/build/redirects.py; which events, at which priority and why: hooks/README.md.
"""

try:
    from tyouramentorointi.build.redirects import on_config, on_post_build
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(
        f"hooks/redirects.py: {exc}: run `make setup` (it installs the tyouramentorointi package)"
    ) from None

__all__ = ["on_config", "on_post_build"]

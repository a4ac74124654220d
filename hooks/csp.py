"""MkDocs entry point: the Content-Security-Policy and the server snippets.

The logic is in tyouramentorointi/build/csp.py; which events, at which priority and why: hooks/README.md.
"""

try:
    from tyouramentorointi.build.csp import on_post_build, on_startup
except ModuleNotFoundError as exc:  # one line instead of a traceback: the package is installed by `make setup`
    raise SystemExit(f"hooks/csp.py: {exc}: run `make setup` (it installs the tyouramentorointi package)") from None

__all__ = ["on_post_build", "on_startup"]

"""Content-Security-Policy hook: the output check, then the policy and the server files of the built site.

The work is tyouramentorointi/steps/csp.py (no MkDocs: ``python -m tyouramentorointi csp SITE`` does the same
over any built folder; its docstring says what is written and why). Here it runs after every language is
built (static-i18n builds the others inside the default language's post_build; this runs in that outer
post_build, at priority -120, after translations.py and search.py), with the site_url and the languages of
the build, and without the ``<meta>`` under ``mkdocs serve`` (its live-reload script is inline).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from tyouramentorointi.build import translations
from tyouramentorointi.checks import output
from tyouramentorointi.steps import csp as step
from tyouramentorointi.steps.csp import policy, scan_page, security_headers, sha256

__all__ = ["on_post_build", "on_startup", "policy", "scan_page", "security_headers", "sha256"]

log = logging.getLogger("mkdocs.hooks.csp")

_command = {"name": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _command["name"] = command


@event_priority(-120)  # after static-i18n (-100), translations.py (-110) and search.py: the final pages
def on_post_build(config: MkDocsConfig) -> None:
    if getattr(translations.i18n_plugin(config), "building", False):
        return  # an inner language build: the outer one sees every language
    # First the output check, which names the Markdown line; the policy only adds its own <meta> below.
    check_output(config)
    prefixes = [lang.prefix for lang in translations.site_languages(config)]
    try:
        count, pages = step.apply(Path(config.site_dir), config.site_url, prefixes, meta=_command["name"] != "serve")
    except step.BlockedError as exc:
        raise PluginError(str(exc)) from None
    log.info(f"Content-Security-Policy: {count} inline script hash(es) over {pages} pages")


def check_output(config: MkDocsConfig) -> None:
    """The output check (checks/output.py) on the built site: every other hook has written its pages."""
    root = Path(config.config_file_path or ".").resolve().parent
    scripts = [str(getattr(item, "path", item)) for item in config.extra_javascript]
    found = output.unique(output.check_site(Path(config.site_dir), root, config.site_url, scripts))
    if found:
        shown = [finding.text(root) for finding in found]
        more = f"\n  ... and {len(shown) - 40} more" if len(shown) > 40 else ""
        raise PluginError(
            f"the published pages hold what this site does not publish ({len(shown)} problem(s); "
            "python -m tyouramentorointi check output SITE_DIR lists them):\n"
            + "\n".join("  " + line for line in shown[:40])
            + more
        )

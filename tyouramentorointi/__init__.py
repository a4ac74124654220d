"""Työuramentorointi's build logic, checks and chores (DEVELOPMENT.md#the-package).

- ``core``: what every other part shares, with no import of MkDocs (sources, languages, findings).
- ``build``: the logic of the MkDocs hooks (``hooks/*.py`` are entry points of a few lines).
- ``checks``: the checks over the sources and over a built site.
- ``steps``: steps over a built site or the sources that do not need MkDocs (PDFs, the self-hosting zip).
- ``bench``: benchmarks, out of the checks' way.
- ``cli``: the one command line, ``python -m tyouramentorointi --help``.
"""

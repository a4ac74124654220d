"""Benchmarks (test suite, link checker, search, Lighthouse): `python -m tyouramentorointi bench --help`."""

"""The external check (``--external``): the http(s) links of the pages and the directory's addresses,
answered from the cache or fetched, turned into findings (broken, could not verify, permanent redirect,
missing fragment).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .cache import Cache
from .fetch import ExternalChecker, ExternalOptions, ExternalResult, run_coroutine
from .findings import Finding, Report
from .urls import anchor_ok, split_fragment


def _fragment_to_check(fragment: str | None) -> str | None:
    if fragment is None:
        return None
    fragment = fragment.split(":~:", 1)[0]
    if fragment == "" or fragment.lower() == "top" or fragment[0] in "/!":
        return None  # empty, #top, text fragments and #/app-routes are not anchors
    return fragment


def check_external(
    report: Report,
    occurrences: list[tuple[str | None, int | None, str, str, int]],
    options: ExternalOptions,
    cache: Cache,
    exclude: tuple[re.Pattern[str], ...],
) -> None:
    """occurrences: (page, link index, url, source, line); source/line are set for data-file URLs."""
    jobs: dict[str, bool] = {}
    kept = []
    for occ in occurrences:
        url = occ[2]
        if exclude and any(p.search(url) for p in exclude):
            continue
        kept.append(occ)
        key, frag = split_fragment(url)
        jobs[key] = jobs.get(key, False) or _fragment_to_check(frag) is not None
    results: dict[str, ExternalResult] = {}
    to_fetch: dict[str, bool] = {}
    for key, need in jobs.items():
        cached = cache.get(key, need)
        if cached is not None:
            results[key] = cached
        else:
            to_fetch[key] = need
    if to_fetch:
        fetched = run_coroutine(ExternalChecker(options).check_all(to_fetch))
        for key, result in fetched.items():
            results[key] = result
            cache.put(key, result, to_fetch[key])
    for page, idx, url, source, line in kept:
        report.checked += 1
        key, frag = split_fragment(url)
        res = results[key]

        template = Finding("external", url, page, "", source=source, line=line, target=key, index=idx, fragment=frag)

        def add(severity: str, reason: str, status: int | None, base: Finding = template) -> None:
            found = Finding(**{**base.__dict__, "severity": severity, "reason": reason, "status": status})
            report.findings.append(found)

        if res.state != "ok":
            add("error" if res.state == "broken" else "warning", res.reason, res.status)
            continue
        if res.moved_to:
            add("warning", f"permanent redirect ({res.moved_status}) to {res.moved_to}", res.moved_status)
        wanted = _fragment_to_check(frag)
        if wanted is None or res.anchors is None:
            continue
        anchors = res.anchors
        if anchor_ok(wanted, anchors) or anchor_ok("user-content-" + wanted, anchors):
            continue
        if res.truncated:
            add("warning", f'could not verify anchor "{unquote(wanted)}": only the first 1 MB was read', res.status)
        else:
            add("error", f'no id or <a name> "{unquote(wanted)}" on the page (HTTP {res.status})', res.status)

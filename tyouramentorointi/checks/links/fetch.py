"""The HTTP side of the external check (httpx): HEAD, then GET on any non-2xx answer; redirects followed by
hand; bounded retries honouring Retry-After; per-host concurrency and spacing, a global cap, timeouts and an
overall deadline; a page's ids read from the first MB for fragments. Also used by ``link-status``.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

USER_AGENT = "Tyouramentorointi-linkcheck/1.0 (link checker of the Tyouramentorointi mentoring guide)"
MAX_BODY = 1_000_000  # bytes of an external HTML page read to find a fragment
MAX_REDIRECTS = 10
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})


def run_coroutine(coro: Any) -> Any:
    """asyncio.run, also when the caller's thread already runs an event loop (Playwright's sync API in the
    same test process does): then the coroutine runs on a fresh loop in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass
class ExternalOptions:
    timeout: float = 15.0
    max_concurrency: int = 16
    per_host: int = 2
    host_interval: float = 0.2
    retries: int = 3
    backoff: float = 1.0
    retry_after_cap: float = 60.0
    deadline: float = 600.0
    remaps: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    user_agent: str = USER_AGENT
    progress: bool = False


@dataclass
class ExternalResult:
    state: str  # "ok" | "broken" | "warning"
    status: int | None = None
    reason: str = ""
    anchors: frozenset[str] | None = None  # ids of the HTML page, when it was read
    truncated: bool = False
    moved_to: str | None = None
    moved_status: int | None = None
    from_cache: bool = False


@dataclass
class _Hop:
    status: int
    headers: Any
    body: bytes | None = None
    truncated: bool = False
    url: str = ""
    chain: list[tuple[int, str]] = field(default_factory=list)
    retried: int = 0


class _Failure(Exception):
    def __init__(self, reason: str, try_get: bool = False) -> None:
        super().__init__(reason)
        self.try_get = try_get  # a HEAD that failed this way may still work as a GET


class _HostGate:
    def __init__(self, concurrency: int, interval: float) -> None:
        self.sem = asyncio.Semaphore(max(1, concurrency))
        self.lock = asyncio.Lock()
        self.interval = interval
        self.next_start = 0.0

    async def __aenter__(self) -> None:
        await self.sem.acquire()
        try:
            async with self.lock:
                loop = asyncio.get_running_loop()
                now = loop.time()
                if self.next_start > now:
                    await asyncio.sleep(self.next_start - now)
                    now = loop.time()
                self.next_start = now + self.interval
        except BaseException:
            self.sem.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self.sem.release()


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _describe(exc: BaseException) -> str:
    """A short reason for a network error, looking through the chain (anyio wraps the OS error)."""
    pending: list[BaseException] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError) or "refused" in str(current).lower():
            return "connection refused"
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    text = str(exc) or exc.__class__.__name__
    if "name or service not known" in text.lower() or "nodename nor servname" in text.lower():
        return "host not found (DNS)"
    return text


class ExternalChecker:
    def __init__(self, options: ExternalOptions) -> None:
        self.opt = options
        self.gates: dict[str, _HostGate] = {}
        self.global_sem: asyncio.Semaphore | None = None
        self.client: Any = None
        self.done = 0
        self.total = 0

    def remap(self, url: str) -> str:
        for pattern, replacement in self.opt.remaps:
            new = pattern.sub(replacement, url)
            if new != url:
                return new
        return url

    async def check_all(self, jobs: dict[str, bool]) -> dict[str, ExternalResult]:
        import httpx

        self.total = len(jobs)
        self.global_sem = asyncio.Semaphore(max(1, self.opt.max_concurrency))
        timeout = httpx.Timeout(self.opt.timeout, connect=min(self.opt.timeout, 10.0))
        limits = httpx.Limits(max_connections=max(1, self.opt.max_concurrency), max_keepalive_connections=8)
        headers = {"User-Agent": self.opt.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        results: dict[str, ExternalResult] = {}
        async with httpx.AsyncClient(
            timeout=timeout, limits=limits, headers=headers, follow_redirects=False, trust_env=False
        ) as client:
            self.client = client
            tasks = {asyncio.create_task(self._check_one(url, need)): url for url, need in jobs.items()}
            if not tasks:
                return results
            done, pending = await asyncio.wait(tasks, timeout=self.opt.deadline)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        for task, url in tasks.items():
            if task in pending:
                reason = f"not checked: the overall deadline of {self.opt.deadline:g} s was reached"
                results[url] = ExternalResult("warning", None, reason)
            elif task.exception() is not None:
                results[url] = ExternalResult("broken", None, f"checker error: {task.exception()!r}")
            else:
                results[url] = task.result()
        if self.opt.progress:
            sys.stderr.write("\n")
        return results

    def _tick(self) -> None:
        self.done += 1
        if self.opt.progress:
            width = 30
            filled = int(width * self.done / max(1, self.total))
            sys.stderr.write(f"\r  external links [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            sys.stderr.flush()

    async def _check_one(self, url: str, need_body: bool) -> ExternalResult:
        try:
            return await self._check(url, need_body)
        finally:
            self._tick()

    async def _check(self, url: str, need_body: bool) -> ExternalResult:
        budget = [self.opt.retries]
        target = self.remap(url)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return ExternalResult("broken", None, "invalid URL")
        try:
            if need_body:
                hop = await self._follow(target, "GET", True, budget)
            else:
                try:
                    hop = await self._follow(target, "HEAD", False, budget)
                except _Failure as exc:
                    if not exc.try_get:
                        raise
                    hop = await self._follow(target, "GET", False, budget)
                else:
                    if not 200 <= hop.status < 300:
                        hop = await self._follow(target, "GET", False, budget)
        except _Failure as exc:
            return ExternalResult("broken", None, str(exc))
        return self._classify(hop)

    def _classify(self, hop: _Hop) -> ExternalResult:
        status = hop.status
        moved_to = moved_status = None
        for code, location in hop.chain:
            if code not in PERMANENT_REDIRECTS:
                break
            moved_to, moved_status = location, code
        if 200 <= status < 300:
            anchors = None
            if hop.body is not None:
                tree = LexborHTMLParser(hop.body)
                ids = {n.id for n in tree.css("[id]") if n.id}
                ids.update(str(n.attrs.get("name")) for n in tree.css("a[name]") if n.attrs.get("name"))
                anchors = frozenset(ids)
            return ExternalResult("ok", status, "", anchors, hop.truncated, moved_to, moved_status)
        phrase = _reason_phrase(status)
        if status == 999:
            return ExternalResult("warning", status, "could not verify: HTTP 999 (the site blocks link checkers)")
        if status == 403 and (hop.headers.get("cf-mitigated") or "").lower() == "challenge":
            return ExternalResult("warning", status, "could not verify: Cloudflare challenge (HTTP 403)")
        if status == 429:
            reason = f"could not verify: HTTP 429 {phrase} after {hop.retried} retries".replace("  ", " ")
            return ExternalResult("warning", status, reason)
        if status in REDIRECT_STATUSES:
            return ExternalResult("broken", status, f"HTTP {status} redirect without a usable Location")
        retried = f" after {hop.retried} retries" if hop.retried else ""
        return ExternalResult("broken", status, f"HTTP {status} {phrase}".strip() + retried)

    async def _follow(self, url: str, method: str, read_body: bool, budget: list[int]) -> _Hop:
        seen = {url}
        chain: list[tuple[int, str]] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            hop = await self._attempt(method, current, read_body, budget)
            location = hop.headers.get("location") if hop.status in REDIRECT_STATUSES else None
            if not location:
                hop.chain, hop.url = chain, current
                return hop
            nxt = self.remap(urljoin(current, location.strip()))
            if urlsplit(nxt).scheme not in ("http", "https"):
                raise _Failure(f"redirect to an unsupported address {nxt}")
            chain.append((hop.status, nxt))
            if nxt in seen:
                raise _Failure(f"redirect loop ({len(chain)} hops, back to {nxt})")
            seen.add(nxt)
            if hop.status == 303:
                method, read_body = "GET", read_body
            current = nxt
        raise _Failure(f"more than {MAX_REDIRECTS} redirects")

    async def _attempt(self, method: str, url: str, read_body: bool, budget: list[int]) -> _Hop:
        import httpx

        attempt = 0
        while True:
            try:
                hop = await self._request(method, url, read_body)
            except (TimeoutError, httpx.TimeoutException) as exc:
                raise _Failure(f"timeout after {self.opt.timeout:g} s") from exc
            except httpx.ConnectError as exc:
                raise _Failure(f"connection failed: {_describe(exc)}") from exc
            except (httpx.HTTPError, OSError) as exc:
                if budget[0] <= 0:
                    raise _Failure(f"network error: {_describe(exc)}", try_get=method == "HEAD") from exc
                budget[0] -= 1
                attempt += 1
                await asyncio.sleep(self._backoff(attempt))
                continue
            if hop.status in RETRY_STATUSES and budget[0] > 0:
                budget[0] -= 1
                attempt += 1
                delay = parse_retry_after(hop.headers.get("retry-after"))
                if delay is None:
                    delay = self._backoff(attempt)
                await asyncio.sleep(min(delay, self.opt.retry_after_cap))
                continue
            hop.retried = attempt
            return hop

    def _backoff(self, attempt: int) -> float:
        base = self.opt.backoff * (2 ** (attempt - 1))
        return min(self.opt.retry_after_cap, base + random.uniform(0, self.opt.backoff))

    async def _request(self, method: str, url: str, read_body: bool) -> _Hop:
        parts = urlsplit(url)
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = _HostGate(self.opt.per_host, self.opt.host_interval)
        assert self.global_sem is not None
        async with gate, self.global_sem, asyncio.timeout(self.opt.timeout):
            response = await self.client.send(self.client.build_request(method, url), stream=True)
            try:
                body: bytes | None = None
                truncated = False
                content_type = (response.headers.get("content-type") or "").lower()
                if read_body and 200 <= response.status_code < 300 and ("html" in content_type or not content_type):
                    buffer = bytearray()
                    async for chunk in response.aiter_bytes():
                        buffer += chunk
                        if len(buffer) >= MAX_BODY:
                            truncated = True
                            break
                    body = bytes(buffer[:MAX_BODY])
            finally:
                await response.aclose()
            return _Hop(response.status_code, response.headers, body, truncated)


def _reason_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""

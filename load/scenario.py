"""Simulated partners, as an asyncio HTTP client (aiohttp): each logs in through the real
login form, reads their dashboard, workspace, a goal and a check-in, and logs check-ins
through the real form, with the CSRF token taken from each page like a browser.

Every check-in carries a token in its reflection and next step (``<run> <email> #<n>``),
so that afterwards the database can be compared with exactly what each partner was told
was saved (a redirect) and what may or may not have been (an error or no answer).
"""

import asyncio
import random
import re
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser

import aiohttp

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORKSPACE_LINK = re.compile(r'href="(/partnerships/[0-9a-f-]{36}/)"')
GOAL_LINK = re.compile(r'href="(/goals/[0-9a-f-]{36}/)"')
CHECKIN_LINK = re.compile(r'href="(/partnerships/checkins/[0-9a-f-]{36}/)"')


class FormFields(HTMLParser):
    """The fields of one form (found by id) with the values a browser would send as is."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.action = form_id, False, None
        self.fields: dict[str, str] = {}
        self.radios: dict[str, list[str]] = defaultdict(list)
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            if self.inside:
                self.action = a.get("action")
            return
        if tag == "option" and self.inside:
            self._option(a)
            return
        if not self.inside or "name" not in a:
            return
        name = a["name"]
        if tag == "input" and a.get("type") == "radio":
            self.radios[name].append(a.get("value", ""))
            if "checked" in a:
                self.fields[name] = a.get("value", "")
        elif tag == "input":
            self.fields[name] = a.get("value") or ""
        elif tag == "textarea":
            self.fields[name], self._textarea = "", name
        elif tag == "select":
            self._select = name

    def _option(self, attrs: dict) -> None:
        # A select sends its first option unless another is marked selected.
        if self._select and (self._select not in self.fields or "selected" in attrs):
            self.fields[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def form_fields(html: str, form_id: str) -> FormFields:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser


@dataclass
class Sample:
    name: str
    status: int  # 0: no answer (connection refused, timeout)
    seconds: float
    at: float  # when it finished, seconds since the start of the run


@dataclass
class Partner:
    email: str
    logged_in_at: float | None = None
    saved: dict[str, int] = field(default_factory=dict)  # token -> goals reviewed
    unsure: dict[str, int] = field(default_factory=dict)  # no redirect: saved or not?
    refused: list[str] = field(default_factory=list)  # a 4xx form error: nothing saved


@dataclass
class Run:
    run_id: str
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)

    def record(self, name: str, status: int, began: float) -> None:
        now = time.monotonic()
        self.samples.append(Sample(name, status, now - began, now - self.started))

    def statuses(self) -> Counter:
        return Counter(sample.status for sample in self.samples)

    def server_errors(self) -> list[Sample]:
        return [s for s in self.samples if s.status >= 500 or s.status == 0]

    def latencies(self) -> dict[str, dict]:
        by_name: dict[str, list[float]] = defaultdict(list)
        for sample in self.samples:
            if 200 <= sample.status < 400:
                by_name[sample.name].append(sample.seconds * 1000)
        return {name: summarise(values) for name, values in sorted(by_name.items())}


def percentile(ordered: list[float], p: float) -> float:
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def summarise(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_ms": round(percentile(ordered, 50), 1),
        "p95_ms": round(percentile(ordered, 95), 1),
        "p99_ms": round(percentile(ordered, 99), 1),
        "max_ms": round(ordered[-1], 1),
    }


class Browser:
    """One partner's cookies and CSRF token, timing every request into the run."""

    def __init__(self, run: Run, base: str, timeout: float):
        self.run, self.base = run, base
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies for 127.0.0.1
            timeout=aiohttp.ClientTimeout(total=timeout),
            connector=aiohttp.TCPConnector(limit=1, force_close=True),
        )

    async def request(self, name: str, method: str, path: str, data=None) -> tuple[int, str]:
        began = time.monotonic()
        try:
            async with self.session.request(
                method,
                self.base + path,
                data=data,
                allow_redirects=False,
                headers={"Referer": self.base + path},
            ) as response:
                body = await response.text()
                status = response.status
                location = response.headers.get("Location", "")
        except (TimeoutError, aiohttp.ClientError):
            self.run.record(name, 0, began)
            return 0, ""
        self.run.record(name, status, began)
        return status, location if 300 <= status < 400 else body

    async def close(self):
        await self.session.close()


async def simulate_partner(
    run: Run, base: str, email: str, password: str, *, until: float, think: tuple, rng
) -> Partner:
    partner = Partner(email)
    run.partners.append(partner)
    browser = Browser(run, base, timeout=30)

    async def pause():
        await asyncio.sleep(rng.uniform(*think))

    try:
        while time.monotonic() < until and partner.logged_in_at is None:
            status, page = await browser.request("login (form)", "GET", "/accounts/login/")
            token = CSRF.search(page) if status == 200 else None
            if token:
                status, location = await browser.request(
                    "login (POST)",
                    "POST",
                    "/accounts/login/",
                    {"csrfmiddlewaretoken": token[1], "username": email, "password": password},
                )
                if status == 302 and location == "/":
                    partner.logged_in_at = time.monotonic() - run.started
                    break
            await pause()  # the database is away: try again, as a person would

        n = 0
        # At least one whole visit each, however long logging in took under load.
        while partner.logged_in_at is not None and (n == 0 or time.monotonic() < until):
            n += 1
            await one_visit(run, browser, partner, n, pause)
    finally:
        await browser.close()
    return partner


async def one_visit(run: Run, browser: Browser, partner: Partner, n: int, pause) -> None:
    """Dashboard, workspace, a goal, the latest check-in, then log a check-in."""
    status, page = await browser.request("dashboard", "GET", "/")
    workspace = WORKSPACE_LINK.search(page) if status == 200 else None
    await pause()
    if workspace is None:
        return
    status, page = await browser.request("workspace", "GET", workspace[1])
    if status != 200:
        return
    goals, checkins = GOAL_LINK.findall(page), CHECKIN_LINK.findall(page)
    await pause()
    if goals:
        await browser.request("goal", "GET", goals[n % len(goals)])
        await pause()
    if checkins:
        await browser.request("check-in", "GET", checkins[0])
        await pause()
    status, page = await browser.request(
        "new check-in (form)", "GET", workspace[1] + "checkins/new/"
    )
    if status != 200:
        return
    form = form_fields(page, "checkin-new-form")
    data = dict(form.fields)
    token = f"{run.run_id} {partner.email} #{n}"
    reviewed = 0
    for name, values in form.radios.items():
        if name.endswith("-decision") and "keep" in values:
            data[name], reviewed = "keep", reviewed + 1
    data.update({"new-text": token, "new-visibility": "shared", "new-description": token})
    await pause()  # filling in the form
    status, location = await browser.request("new check-in (POST)", "POST", form.action, data)
    if status == 302 and location.startswith(workspace[1]):
        partner.saved[token] = reviewed
    elif 400 <= status < 500:
        partner.refused.append(token)
    else:
        partner.unsure[token] = reviewed
    await pause()


async def run_partners(
    base: str,
    credentials: list[tuple[str, str]],
    *,
    seconds: float,
    run_id: str,
    ramp_seconds: float = 0.0,
    think: tuple = (1.0, 3.0),
    seed: int = 7,
    during=None,
) -> Run:
    """Run every partner for ``seconds``; ``during(run)`` is awaited alongside (faults)."""
    run = Run(run_id)
    until = run.started + seconds
    rng = random.Random(seed)

    async def start(i, email, password):
        await asyncio.sleep(ramp_seconds * i / max(len(credentials), 1))
        return await simulate_partner(
            run, base, email, password, until=until, think=think, rng=random.Random(rng.random())
        )

    tasks = [start(i, email, password) for i, (email, password) in enumerate(credentials)]
    if during is not None:
        tasks.append(during(run))
    await asyncio.gather(*tasks)
    return run


def run_in_own_thread(coroutine):
    """asyncio.run in a thread of its own: the caller's thread may already run an event
    loop (Playwright's, in the test suite)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

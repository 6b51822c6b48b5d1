"""Locust users for the load test (`benchmarks/load.py` runs this file; it is not a test).

Each user signs in through allauth's page (GET for the CSRF token, then POST) as a generated
participant, line manager or the programme manager, and then browses that role's main pages
with a think time between them. `SaturationUser` instead asks for the one page the runner
names in `LOAD_CONTROL`, with no think time, to measure throughput.

The runner passes, through the environment: `LOAD_TARGETS` (a JSON file of accounts and the
ids of what each may see), `LOAD_LOG` (every request is appended to it as a CSV line, so that
the runner can cut the run into phases and compute exact percentiles), `LOAD_THINK` (the think
time range in seconds, "2,8") and `LOAD_CONTROL`. Pages are fetched without following
redirects: anything but a 200 is an error (a redirect to the sign-in page would otherwise
look like success).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, events, task

TARGETS = (
    json.loads(Path(os.environ["LOAD_TARGETS"]).read_text()) if "LOAD_TARGETS" in os.environ else {}
)
THINK = [float(s) for s in os.environ.get("LOAD_THINK", "2,8").split(",")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN = "sign in"
TRIVIAL = "trivial view"
TRIVIAL_SIGNED_IN = "trivial view, signed in"


# Each page: (role, weight in the mix, URL for an account, or None if it has nothing there).
PAGES = {
    "participant: home": ("participant", 3, lambda a, rng: "/"),
    "participant: progress": (
        "participant",
        3,
        lambda a, rng: f"/participants/{a['participant']}/",
    ),
    "participant: placement": (
        "participant",
        3,
        lambda a, rng: f"/placements/{rng.choice(a['placements'])}/",
    ),
    "participant: reflective account": (
        "participant",
        2,
        lambda a, rng: f"/reflections/{rng.choice(a['accounts'])}/" if a["accounts"] else None,
    ),
    "participant: improvement initiative": (
        "participant",
        2,
        lambda a, rng: (
            f"/participants/{a['participant']}/improvement/" if a["initiative"] else None
        ),
    ),
    "line manager: home": ("line_manager", 3, lambda a, rng: "/"),
    "line manager: approvals": ("line_manager", 1, lambda a, rng: "/approvals/"),
    "line manager: report's progress": (
        "line_manager",
        3,
        lambda a, rng: f"/participants/{rng.choice(a['reports'])}/",
    ),
    "line manager: report's reflective account": (
        "line_manager",
        2,
        lambda a, rng: f"/reflections/{rng.choice(a['accounts'])}/" if a["accounts"] else None,
    ),
    "line manager: report's initiative": (
        "line_manager",
        1,
        lambda a, rng: (
            f"/participants/{rng.choice(a['initiatives'])}/improvement/"
            if a["initiatives"]
            else None
        ),
    ),
    "programme manager: home": ("programme_manager", 2, lambda a, rng: "/"),
    "programme manager: cohort page": (
        "programme_manager",
        2,
        lambda a, rng: f"/cohorts/{rng.choice(a['cohorts'])}/",
    ),
    "programme manager: cohort dashboard": (
        "programme_manager",
        2,
        lambda a, rng: f"/cohorts/{rng.choice(a['cohorts'])}/dashboard/",
    ),
    "programme manager: participant's progress": (
        "programme_manager",
        3,
        lambda a, rng: f"/participants/{rng.choice(a['participants'])}/",
    ),
}

ROLES = ("participant", "line_manager", "programme_manager")
# Each user takes the next account of its role, so that concurrent users are different people
# (the programme manager excepted: the region has one, signed in several times).
_accounts = {role: itertools.cycle(TARGETS.get(role) or [{}]) for role in ROLES}


class _Log:
    """Every request as a CSV line: start (epoch s), milliseconds, name, ok, bytes. Line
    buffered, so that the runner sees each sign-in as it happens."""

    path = os.environ.get("LOAD_LOG")
    file = open(path, "a", buffering=1) if path else None  # noqa: SIM115 - open for the run


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, exception, **kwargs):
    if _Log.file is not None:
        start = kwargs.get("start_time") or time.time() - response_time / 1000
        ok = 0 if exception else 1
        _Log.file.write(f"{start:.4f},{response_time:.2f},{name},{ok},{response_length}\n")


@events.quitting.add_listener
def _close_log(**kwargs):
    if _Log.file is not None:
        _Log.file.flush()


class _SignedIn(FastHttpUser):
    abstract = True
    role = ""

    def on_start(self):
        self.rng = random.Random()
        self.account = next(_accounts[self.role])
        self.sign_in()

    def sign_in(self):
        page = self.client.get("/accounts/login/", name=f"{LOGIN} (form)")
        token = CSRF.search(page.text or "")
        form = {
            "login": self.account["email"],
            "password": TARGETS["password"],
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        with self.client.post(
            "/accounts/login/",
            data=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name=LOGIN,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") != "/":
                response.failure(f"sign-in answered {response.status_code}")

    def fetch(self, name: str, url: str):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {url}")

    def browse(self):
        """One of this role's pages, by weight, among those this account has something on."""
        options = []
        for name, (role, weight, url_for) in PAGES.items():
            if role == self.role and (url := url_for(self.account, self.rng)):
                options.append((name, url, weight))
        name, url, _ = self.rng.choices(options, [w for *_, w in options])[0]
        self.fetch(name, url)


class ParticipantUser(_SignedIn):
    weight = 36
    role = "participant"
    wait_time = between(*THINK)

    @task
    def page(self):
        self.browse()


class LineManagerUser(_SignedIn):
    weight = 10
    role = "line_manager"
    wait_time = between(*THINK)

    @task
    def page(self):
        self.browse()


class ProgrammeManagerUser(_SignedIn):
    weight = 4
    role = "programme_manager"
    wait_time = between(*THINK)

    @task
    def page(self):
        self.browse()


class _Control:
    """The page the runner wants measured now: it replaces the file `LOAD_CONTROL` to switch,
    so one set of signed-in users measures every page, in rounds, without signing in again."""

    path = os.environ.get("LOAD_CONTROL", "")
    key: tuple = ()
    page = ""

    @classmethod
    def current(cls) -> str:
        try:
            stat = os.stat(cls.path)
        except OSError:
            return ""
        if (stat.st_ino, stat.st_mtime_ns) != cls.key:
            cls.key = (stat.st_ino, stat.st_mtime_ns)
            cls.page = Path(cls.path).read_text().strip()
        return cls.page


# Who asks for each page in the saturation runs; the trivial view anonymously, so that no
# session or user is read (the floor), and once signed in, to show what those cost.
SATURATION_ROLES = {
    TRIVIAL: "anonymous",
    TRIVIAL_SIGNED_IN: "participant",
    **{name: role for name, (role, _, _) in PAGES.items()},
}
_saturation_roles = itertools.cycle(("anonymous", *ROLES))


class SaturationUser(_SignedIn):
    """Throughput, not latency: no think time. Users are spread over the roles; those whose
    role has the page named in `LOAD_CONTROL` ask for it back to back, the others wait."""

    wait_time = constant(0)

    def on_start(self):
        self.rng = random.Random()
        self.role = next(_saturation_roles)
        if self.role == "anonymous":
            return
        mine = [url_for for role, _, url_for in PAGES.values() if role == self.role]
        # An account with something on every page of its role, so that none idles.
        for _ in range(10_000):
            self.account = next(_accounts[self.role])
            if all(url_for(self.account, self.rng) for url_for in mine):
                break
        self.sign_in()

    @task
    def page(self):
        page = _Control.current()
        if SATURATION_ROLES.get(page) != self.role:
            time.sleep(0.05)  # not this user's page (gevent's sleep: the others carry on)
            return
        if page in {TRIVIAL, TRIVIAL_SIGNED_IN}:
            self.fetch(page, "/load/trivial/")
        else:
            self.fetch(page, PAGES[page][2](self.account, self.rng))

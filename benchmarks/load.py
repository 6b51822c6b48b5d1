"""Load test: gunicorn, PostgreSQL, Redis and a Celery pdf worker with 1,000 generated
participants, driven by locust on loopback. A benchmark, not a test.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth;
Redis at 127.0.0.1:6379):

    .venv/bin/python benchmarks/load.py [--participants 1000] [--sweep 2,3,5] [--workers N]

One command does everything, each step bounded in time, and stops every process it started
(in a `finally`, by process group, so a worker's children go too):

1. Setup: drops and recreates the database `i2i_load`, migrates it, runs `manage.py generate
   --participants 1000`, collects static files (under /tmp/i2i_load). The web and worker
   processes run with `benchmarks.load_settings`: production settings (DEBUG off, a throwaway
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, hashed static files) over plain HTTP on loopback.
2. A Celery worker for the pdf queue (`-Q pdf --concurrency 1`, Redis database 14).
3. Sweep: for each gunicorn sync-worker count in --sweep, a short saturation run (three
   rounds) of the trivial view and of the participant's progress page. The count with the
   best page throughput serves the rest (or --workers N, which skips the sweep).
4. Mixed load, one locust run: 50 users (36 participants, 10 line managers, 4 sessions of the
   programme manager) sign in through allauth and browse their main pages with 2-8 s of
   think time. Ten seconds after the last sign-in, phase (a) lasts 2 minutes; then three
   workshop packs are started as the programme manager's button starts them
   (`i2i.jobs.job_start`), and phase (b) lasts the next 2 minutes. The p95 rise compares the
   requests made while the worker was building packs with phase (a).
5. Saturation: each main page, and the trivial view (anonymous, and signed in), asked for
   by 2 x workers users with no think time, 8 s each after 1.5 s to settle, in 3 interleaved
   rounds: the best and median requests per second, and the gunicorn workers' CPU time per
   request (which does not depend on how much CPU locust or other workloads took). The
   users sign in once; a control file tells them which page is being measured.

Every request is logged by the locustfile with its start time, so percentiles are exact and
cut by phase. CPU time is sampled per process group (gunicorn, Celery, locust, PostgreSQL)
and for the whole machine, to show how much other workloads took during each phase.

Goals (from the issue): no errors; p95 under 300 ms; each main page's throughput at least a
third of the trivial view's; p95 rises by no more than 20% while three packs are built.
Results go to stdout and to /tmp/i2i_load/run-*/results.json, with locust's CSV files.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BASE = Path("/tmp/i2i_load")
DATABASE = "i2i_load"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
REDIS_URL = "redis://127.0.0.1:6379/14"
SEED = 2026
PASSWORD = "i2i-load-2026"
LOGIN = "sign in"
TRIVIAL = "trivial view"
TRIVIAL_SIGNED_IN = "trivial view, signed in"
SWEEP_PAGES = (TRIVIAL, "participant: progress")
SETTLE = 1.5
SATURATION_PAGES = (
    TRIVIAL,
    TRIVIAL_SIGNED_IN,
    "participant: home",
    "participant: progress",
    "participant: placement",
    "participant: reflective account",
    "participant: improvement initiative",
    "line manager: home",
    "line manager: approvals",
    "programme manager: home",
    "programme manager: cohort page",
    "programme manager: cohort dashboard",
)
GOAL_P95_MS = 300.0
GOAL_RATIO = 1 / 3
GOAL_RISE = 0.20


class Timeout(Exception):
    pass


class Processes:
    """Every process this run starts, each in its own session so that stopping its group
    stops its children (gunicorn's and Celery's workers) and nothing else."""

    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.started: list[tuple[str, subprocess.Popen, object]] = []

    def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        log = open(self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append((name, process, log))
        return process

    def stop(self, process: subprocess.Popen, grace: float = 20) -> None:
        for name, started, log in list(self.started):
            if started is not process:
                continue
            try:
                children = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                children = []
            try:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    try:
                        process.wait(grace)
                    except subprocess.TimeoutExpired:
                        print(f"  {name} did not stop in {grace:.0f} s; killing its group")
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait(10)
            except ProcessLookupError:
                pass  # it had already ended
            # Children that outlived their parent (psutil checks each is still the same one).
            for child in children:
                try:
                    if child.is_running():
                        child.kill()
                except psutil.NoSuchProcess:
                    pass
            log.close()
            self.started.remove((name, started, log))

    def stop_all(self) -> None:
        for _, process, _ in reversed(list(self.started)):
            self.stop(process)


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(argv: list[str], env: dict, timeout: float) -> str:
    """A setup step, bounded in time; its output is kept for results.json."""
    result = subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise Timeout(f"gave up waiting {timeout:.0f} s for {what}")


def environment(run_dir: Path) -> dict:
    """Production-like: DEBUG off, a throwaway key, loopback host, the services; the few
    loopback-only changes are in benchmarks/load_settings.py."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MFA_REQUIRED_FOR_ROLES": "0",
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(run_dir / "media"),
        "LOAD_STATIC_ROOT": str(BASE / "static"),
        "EMAIL_HOST": "",
        "LOG_LEVEL": "WARNING",
    }


def setup_database(env: dict, participants: int, timeout: float) -> str:
    subprocess.run(
        ["dropdb", *PG, "--if-exists", "--force", DATABASE], check=True, capture_output=True
    )
    subprocess.run(["createdb", *PG, DATABASE], check=True, capture_output=True)
    python = [sys.executable, "manage.py"]
    run([*python, "migrate", "--no-input", "-v0"], env, timeout)
    began = time.perf_counter()
    out = run(
        [
            *python,
            "generate",
            "--participants",
            str(participants),
            "--seed",
            str(SEED),
            "--password",
            PASSWORD,
        ],
        env,
        timeout,
    )
    say(f"generated {participants:,} participants in {time.perf_counter() - began:.1f} s")
    return out


def write_targets(path: Path) -> dict:
    """The accounts locust signs in as, and the ids of what each may open."""
    from improvements.models import ImprovementInitiative
    from participants.models import Cohort, Participant, User
    from placements.models import Placement
    from reflections.models import ReflectiveAccount

    placements: dict[int, list[int]] = {}
    for pk, participant in Placement.objects.values_list("pk", "participant_id"):
        placements.setdefault(participant, []).append(pk)
    accounts: dict[int, list[tuple[int, str]]] = {}
    for pk, participant, status in ReflectiveAccount.objects.values_list(
        "pk", "participant_id", "status"
    ):
        accounts.setdefault(participant, []).append((pk, status))
    with_initiative = set(ImprovementInitiative.objects.values_list("participant_id", flat=True))
    rows = list(
        Participant.objects.values_list("pk", "user__email", "line_manager__email").order_by("pk")
    )
    rng = random.Random(SEED)
    participants = [
        {
            "email": email,
            "participant": pk,
            "placements": placements.get(pk, []),
            "accounts": [a for a, _ in accounts.get(pk, [])],
            "initiative": pk in with_initiative,
        }
        for pk, email, _ in rows
    ]
    managers: dict[str, dict] = {}
    for pk, _, manager in rows:
        entry = managers.setdefault(
            manager, {"email": manager, "reports": [], "accounts": [], "initiatives": []}
        )
        entry["reports"].append(pk)
        entry["accounts"] += [a for a, s in accounts.get(pk, []) if s != "draft"]
        if pk in with_initiative:
            entry["initiatives"].append(pk)
    pm = User.objects.filter(is_programme_manager=True).order_by("pk").first()
    targets = {
        "password": PASSWORD,
        "participant": rng.sample(participants, k=len(participants)),
        "line_manager": rng.sample(list(managers.values()), k=len(managers)),
        "programme_manager": [
            {
                "email": pm.email,
                "cohorts": list(Cohort.objects.values_list("pk", flat=True)),
                "participants": rng.sample([r[0] for r in rows], k=min(300, len(rows))),
            }
        ],
    }
    path.write_text(json.dumps(targets))
    return targets


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()


# CPU accounting ------------------------------------------------------------------------


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its live descendants and its reaped children."""
    try:
        root = psutil.Process(pid)
        times = root.cpu_times()
        total = times.user + times.system + times.children_user + times.children_system
        for child in root.children(recursive=True):
            try:
                t = child.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total
    except psutil.NoSuchProcess:
        return 0.0


def postmaster() -> int | None:
    """The PostgreSQL server's main process: its tree holds every backend, including those
    that ended (their CPU time moves to it), for every database on the server."""
    for p in psutil.process_iter(["name", "ppid"]):
        if p.info["name"] == "postgres":
            try:
                if psutil.Process(p.info["ppid"]).name() != "postgres":
                    return p.pid
            except psutil.NoSuchProcess:
                pass
    return None


@dataclass
class CpuSample:
    at: float
    machine_busy: float
    groups: dict[str, float]
    load: float


def cpu_sample(groups: dict[str, int]) -> CpuSample:
    t = psutil.cpu_times()
    busy = t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0)
    busy += getattr(t, "steal", 0)
    own = {name: _tree_cpu(pid) for name, pid in groups.items()}
    own["runner"] = sum(os.times()[:2])
    return CpuSample(time.time(), busy, own, os.getloadavg()[0])


def cpu_between(a: CpuSample, b: CpuSample) -> dict:
    """Cores used on average between two samples, by whom."""
    seconds = b.at - a.at
    used = {name: (b.groups[name] - a.groups.get(name, 0.0)) / seconds for name in b.groups}
    machine = (b.machine_busy - a.machine_busy) / seconds
    used["other workloads"] = max(0.0, machine - sum(used.values()))
    return {
        "seconds": round(seconds, 1),
        "machine cores busy": round(machine, 2),
        "cores": {k: round(v, 2) for k, v in used.items()},  # postgresql: all databases
        "load average": round(b.load, 2),
    }


# Locust --------------------------------------------------------------------------------


@dataclass
class Request:
    start: float
    ms: float
    name: str
    ok: bool


def read_log(path: Path) -> list[Request]:
    if not path.exists():
        return []
    requests = []
    for line in path.read_text().splitlines():
        parts = line.split(",")
        if len(parts) < 5:
            continue  # a line being written
        start, ms, ok = parts[0], parts[1], parts[-2]
        requests.append(Request(float(start), float(ms), ",".join(parts[2:-2]), ok == "1"))
    return requests


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


def summarise(requests: list[Request], t0: float, t1: float) -> dict:
    """Per page and overall (sign-in apart): count, errors, p50/p95/p99/max in ms."""
    window = [r for r in requests if t0 <= r.start < t1]
    names = sorted({r.name for r in window})
    table = {}
    for name in [*names, "all pages"]:
        rows = [
            r
            for r in window
            if (r.name == name if name != "all pages" else not r.name.startswith(LOGIN))
        ]
        times = [r.ms for r in rows]
        table[name] = {
            "requests": len(rows),
            "errors": sum(1 for r in rows if not r.ok),
            "p50": round(percentile(times, 50), 1),
            "p95": round(percentile(times, 95), 1),
            "p99": round(percentile(times, 99), 1),
            "max": round(max(times), 1) if times else float("nan"),
            "per second": round(len(rows) / (t1 - t0), 2),
        }
    return table


class Locust:
    def __init__(self, processes: Processes, env: dict, run_dir: Path, name: str):
        self.processes, self.env, self.run_dir, self.name = processes, env, run_dir, name
        self.log = run_dir / f"{name}.requests.csv"
        self.log.unlink(missing_ok=True)  # a log holds one run's requests only
        self.process: subprocess.Popen | None = None

    def start(self, base_url: str, classes, users: int, spawn_rate: float, limit: float, **env):
        argv = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--host",
            base_url,
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            f"{int(limit)}s",
            "--stop-timeout",
            "5",
            "--csv",
            str(self.run_dir / self.name),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ]
        extra = {"LOAD_LOG": str(self.log), **{k: str(v) for k, v in env.items()}}
        self.process = self.processes.start(f"locust-{self.name}", argv, {**self.env, **extra})
        return self.process.pid

    def requests(self) -> list[Request]:
        return read_log(self.log)

    def wait_signed_in(self, users: int, timeout: float) -> float:
        def done():
            if self.process.poll() is not None:
                raise RuntimeError(f"locust {self.name} exited early; see its log")
            logins = [r for r in self.requests() if r.name == LOGIN]
            return (
                (max(r.start + r.ms / 1000 for r in logins) if logins else 0)
                if len(logins) >= users
                else None
            )

        return wait_for(done, timeout, f"{users} users to sign in", every=1)

    def stop(self) -> None:
        if self.process is not None:
            self.processes.stop(self.process, grace=30)


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


# Phases --------------------------------------------------------------------------------


@dataclass
class Server:
    processes: Processes
    env: dict
    workers: int
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        argv = [
            str(BIN / "gunicorn"),
            "i2i.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
        ]
        self.process = self.processes.start(f"gunicorn-{self.workers}", argv, self.env)

        def healthy():
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited; see its log")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_for(healthy, 60, "gunicorn to answer /healthz")

    def stop(self) -> None:
        self.processes.stop(self.process)


def saturation(
    label: str,
    server: Server,
    pages,
    rounds: int,
    seconds: float,
    run_dir: Path,
    groups: dict,
    targets,
) -> dict:
    """Each page as fast as the server answers, in `rounds` interleaved rounds (so that a burst
    of other work on the machine hurts one round, not one page): requests/s, and the gunicorn
    workers' CPU time per request, which does not depend on what else had the CPU. One locust
    run with 2 x workers users per role signs in once; the control file names the page."""
    users = 2 * server.workers
    name = f"{label}-w{server.workers}"
    control = run_dir / f"{name}.control"
    locust = Locust(server.processes, server.env, run_dir, name)
    limit = 300 + rounds * len(pages) * (seconds + SETTLE) + 60
    locust.start(
        server.url,
        ["SaturationUser"],
        4 * users,
        4 * users,
        limit,
        LOAD_TARGETS=targets,
        LOAD_CONTROL=control,
    )
    windows = []
    try:
        locust.wait_signed_in(3 * users, 240)
        for round_ in range(rounds):
            for page in pages:
                switch(control, page)
                time.sleep(SETTLE)  # the previous page's requests finish; this one warms
                first = cpu_sample({**groups, "locust": locust.process.pid})
                time.sleep(seconds)
                last = cpu_sample({**groups, "locust": locust.process.pid})
                windows.append((page, round_, first, last))
        switch(control, "")
    finally:
        locust.stop()
    requests = locust.requests()
    found: dict[str, dict] = {}
    for page, _, first, last in windows:
        rows = [r for r in requests if r.name == page and first.at <= r.start < last.at]
        done = [r for r in rows if r.ok]
        cpu = cpu_between(first, last)
        gunicorn_ms = 1000 * cpu["cores"]["gunicorn"] * cpu["seconds"] / max(1, len(done))
        entry = found.setdefault(page, {"page": page, "users": users, "errors": 0, "rounds": []})
        entry["errors"] += len(rows) - len(done)
        entry["rounds"].append(
            {
                "per second": round(len(done) / (last.at - first.at), 1),
                "p50": round(percentile([r.ms for r in done], 50), 1),
                "gunicorn cpu ms per request": round(gunicorn_ms, 2),
                "cpu": cpu,
            }
        )
    for entry in found.values():
        rates = [r["per second"] for r in entry["rounds"]]
        entry["best per second"] = max(rates)
        entry["median per second"] = statistics.median(rates)
        entry["gunicorn cpu ms per request"] = statistics.median(
            r["gunicorn cpu ms per request"] for r in entry["rounds"]
        )
        entry["other workloads, cores"] = statistics.median(
            r["cpu"]["cores"]["other workloads"] for r in entry["rounds"]
        )
    return found


def switch(control: Path, page: str) -> None:
    """Replace the control file at once, so that no user reads half a name."""
    scratch = control.with_suffix(".new")
    scratch.write_text(page)
    os.replace(scratch, control)


def start_packs(count: int) -> list:
    """Three packs, as the programme manager's button starts them: the cohorts with the most
    participants who consented to a section."""
    from django.db import transaction
    from django.db.models import Count, Q

    from i2i.jobs import job_start
    from participants.models import Cohort, User

    pm = User.objects.filter(is_programme_manager=True).order_by("pk").first()
    cohorts = list(
        Cohort.objects.annotate(
            consenting=Count("participants", filter=Q(participants__workshop_consent__include=True))
        ).order_by("-consenting", "-programme_start")[:count]
    )
    with transaction.atomic():
        jobs = [
            job_start(
                kind="workshop_pack",
                params={"cohort_id": c.pk},
                owner=pm,
                title=f"Workshop pack: {c.name}",
            )
            for c in cohorts
        ]
    return [
        (job.pk, cohort.name, cohort.consenting) for job, cohort in zip(jobs, cohorts, strict=True)
    ]


@dataclass
class PackWatch:
    jobs: list
    started: dict = field(default_factory=dict)
    finished: dict = field(default_factory=dict)
    status: dict = field(default_factory=dict)

    def poll(self) -> bool:
        from i2i.models import Job

        now = time.time()
        for pk, status in Job.objects.filter(pk__in=[j[0] for j in self.jobs]).values_list(
            "pk", "status"
        ):
            self.status[pk] = status
            if status != "queued":
                self.started.setdefault(pk, now)
            if status in {"done", "failed"}:
                self.finished.setdefault(pk, now)
        return len(self.finished) == len(self.jobs)


def mixed(server: Server, args, run_dir: Path, groups: dict, targets: str) -> dict:
    locust = Locust(server.processes, server.env, run_dir, "mixed")
    phase = args.phase_seconds
    limit = 60 + 240 + 10 + 2 * phase + 60
    locust.start(
        server.url,
        ["ParticipantUser", "LineManagerUser", "ProgrammeManagerUser"],
        args.users,
        5,
        limit,
        LOAD_TARGETS=targets,
        LOAD_THINK=args.think,
    )
    packs_done = sample_packs = None
    try:
        signed_in = locust.wait_signed_in(args.users, 240)
        say(f"all {args.users} users signed in; warming up for 10 s")
        a0 = signed_in + 10
        sleep_until(a0)
        sample_a0 = cpu_sample({**groups, "locust": locust.process.pid})
        say(f"phase (a): {phase} s of mixed load")
        sleep_until(a0 + phase)
        sample_a1 = cpu_sample({**groups, "locust": locust.process.pid})
        b0 = time.time()
        watch = PackWatch(start_packs(3))
        say(f"phase (b): {phase} s of mixed load while three workshop packs are built")
        while time.time() < b0 + phase:
            if packs_done is None and watch.poll():
                packs_done = time.time()
                sample_packs = cpu_sample({**groups, "locust": locust.process.pid})
                say(f"the three packs were built in {packs_done - b0:.1f} s")
            time.sleep(0.5)
        sample_b1 = cpu_sample({**groups, "locust": locust.process.pid})
        b1 = time.time()
    finally:
        locust.stop()
    if packs_done is None:
        say("the packs were still being built when phase (b) ended; waiting for them")
        packs_done, sample_packs = b1, sample_b1
        wait_for(watch.poll, 600, "the workshop packs")
    requests = locust.requests()
    busy_end = min(packs_done, b1)
    return {
        "users": args.users,
        "think seconds": args.think,
        "signed in": summarise(requests, 0, a0)[LOGIN],
        "phase a": summarise(requests, a0, a0 + phase),
        "phase b (packs building)": summarise(requests, b0, busy_end),
        "phase b (whole)": summarise(requests, b0, b1),
        "packs": [
            {
                "cohort": name,
                "consenting": consenting,
                "status": watch.status.get(pk),
                "queued to done s": round(watch.finished.get(pk, b1) - b0, 1),
            }
            for pk, name, consenting in watch.jobs
        ],
        "packs building s": round(busy_end - b0, 1),
        "all packs done after s": round(max(watch.finished.values()) - b0, 1),
        "cpu a": cpu_between(sample_a0, sample_a1),
        "cpu b (packs building)": cpu_between(sample_a1, sample_packs),
        "cpu b (whole)": cpu_between(sample_a1, sample_b1),
        "all errors": sum(1 for r in requests if not r.ok),
        "all requests": len(requests),
    }


# Report --------------------------------------------------------------------------------


def print_table(title: str, table: dict, baseline: dict | None = None) -> None:
    print(f"\n{title}")
    head = f"{'page':<44} {'req':>6} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}"
    print(head + ("  p95 vs (a)" if baseline else ""))
    for name, row in table.items():
        line = (
            f"{name:<44} {row['requests']:>6} {row['errors']:>4} {row['p50']:>7.0f}"
            f" {row['p95']:>7.0f} {row['p99']:>7.0f} {row['max']:>7.0f}"
        )
        if baseline and name in baseline and baseline[name]["p95"] > 0:
            line += f"  {100 * (row['p95'] / baseline[name]['p95'] - 1):+.0f}%"
        print(line)


def report(results: dict) -> None:
    print("\n" + "=" * 78)
    print(results["machine"])
    if results.get("sweep"):
        print("\nWorker sweep (saturation, best requests/s; median gunicorn CPU ms per request):")
        for row in results["sweep"]:
            print(
                f"  {row['workers']} workers: "
                + ", ".join(
                    f"{page} {row[page]['best per second']:.1f}/s"
                    f" ({row[page]['gunicorn cpu ms per request']:.1f} ms)"
                    for page in SWEEP_PAGES
                )
            )
    print(f"\nServing with {results['workers']} gunicorn sync workers.")
    m = results.get("mixed")
    if m:
        print(f"Sign-in: {m['signed in']}")
        print_table(
            f"Phase (a): {m['users']} users, think {m['think seconds']} s (ms)", m["phase a"]
        )
        print(f"  CPU: {m['cpu a']}")
        print_table(
            f"Phase (b) while the packs were built ({m['packs building s']} s)",
            m["phase b (packs building)"],
            m["phase a"],
        )
        print(f"  CPU: {m['cpu b (packs building)']}")
        print_table("Phase (b), whole", m["phase b (whole)"], m["phase a"])
        print(f"  packs: {m['packs']}")
    if results.get("saturation"):
        trivial = next(r for r in results["saturation"] if r["page"] == TRIVIAL)
        print(
            "\nSaturation (no think time): best and median requests/s over the rounds, ratio of"
            "\nthe best to the trivial view's best; median gunicorn CPU ms per request and its"
            "\nmultiple of the trivial view's; median cores other workloads used"
        )
        print(
            f"{'page':<44} {'best':>7} {'median':>7} {'ratio':>6} {'CPU ms':>7} {'CPU x':>6}"
            f" {'other':>6} {'err':>4}"
        )
        for row in results["saturation"]:
            ratio = row["best per second"] / trivial["best per second"]
            cpu = row["gunicorn cpu ms per request"] / trivial["gunicorn cpu ms per request"]
            print(
                f"{row['page']:<44} {row['best per second']:>7.1f}"
                f" {row['median per second']:>7.1f} {ratio:>6.3f}"
                f" {row['gunicorn cpu ms per request']:>7.2f} {cpu:>6.1f}"
                f" {row['other workloads, cores']:>6.2f} {row['errors']:>4}"
            )
    goals = results.get("goals", {})
    if goals:
        print("\nGoals:")
        for name, value in goals.items():
            print(f"  {name}: {value}")


def judge(results: dict) -> dict:
    goals = {}
    m = results.get("mixed")
    errors = (m["all errors"] if m else 0) + sum(r["errors"] for r in results.get("saturation", []))
    goals["no errors"] = f"{'met' if errors == 0 else 'MISSED'} ({errors} errors)"
    if m:
        a = m["phase a"]
        over = [n for n, r in a.items() if r["p95"] >= GOAL_P95_MS and n != LOGIN]
        goals["p95 under 300 ms (phase a, all pages)"] = (
            f"{'met' if a['all pages']['p95'] < GOAL_P95_MS else 'MISSED'}"
            f" ({a['all pages']['p95']:.0f} ms); pages over: {over or 'none'}"
        )
        rise = m["phase b (packs building)"]["all pages"]["p95"] / a["all pages"]["p95"] - 1
        goals["p95 rise while packs are built <= 20%"] = (
            f"{'met' if rise <= GOAL_RISE else 'MISSED'} ({100 * rise:+.0f}%)"
        )
    sat = results.get("saturation")
    if sat:
        trivial = next(r for r in sat if r["page"] == TRIVIAL)["best per second"]
        pages = [r for r in sat if r["page"] not in {TRIVIAL, TRIVIAL_SIGNED_IN}]
        low = [r for r in pages if r["best per second"] / trivial < GOAL_RATIO]
        goals["each page >= 1/3 of the trivial view's throughput"] = (
            "met" if not low else f"MISSED for {len(low)} of {len(pages)} pages"
        )
    return goals


def machine() -> str:
    import django

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    from importlib.metadata import version  # importing locust would monkey-patch this process

    return (
        f"{os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GiB;"
        f" Python {platform.python_version()}, Django {django.get_version()},"
        f" PostgreSQL {server}, gunicorn {version('gunicorn')}, locust {version('locust')};"
        f" load average at start {os.getloadavg()[0]:.2f}"
    )


def _out_of_time(*_):
    raise Timeout("--timeout reached")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", default="2,8", help="think time range, seconds (2,8)")
    parser.add_argument("--phase-seconds", type=int, default=120)
    parser.add_argument("--sweep", default="2,3,5", help="gunicorn worker counts to try")
    parser.add_argument("--workers", type=int, help="use this many workers; skip the sweep")
    parser.add_argument(
        "--phases", default="sweep,mixed,saturation", help="which of sweep,mixed,saturation"
    )
    parser.add_argument("--rounds", type=int, default=3, help="saturation rounds per page")
    parser.add_argument("--seconds", type=float, default=8, help="saturation seconds per page")
    parser.add_argument("--pdf-nice", type=int, default=0, help="run the pdf worker under nice")
    parser.add_argument("--reuse-db", action="store_true", help="keep i2i_load as it is")
    parser.add_argument("--timeout", type=float, default=45 * 60, help="seconds for the lot")
    args = parser.parse_args()
    phases = set(args.phases.split(","))

    BASE.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=BASE))
    env = environment(run_dir)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    processes = Processes(run_dir)
    results: dict = {"run dir": str(run_dir)}
    # A hard bound on the whole run: SIGALRM ends it, and the finally below cleans up.
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the finally runs
    signal.alarm(int(args.timeout))
    try:
        say(f"run directory {run_dir}")
        if not args.reuse_db:
            results["generate"] = setup_database(env, args.participants, 600)
        run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env, 300)
        import django

        django.setup()
        results["machine"] = machine()
        say(results["machine"])
        targets = run_dir / "targets.json"
        write_targets(targets)
        flush_redis()
        celery = [
            str(BIN / "celery"),
            "-A",
            "i2i",
            "worker",
            "-Q",
            "pdf",
            "--concurrency",
            "1",
            "--max-memory-per-child",
            "600000",
            "--loglevel",
            "INFO",
            "-n",
            f"i2i-load-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if args.pdf_nice:
            celery = ["nice", "-n", str(args.pdf_nice), *celery]
        worker = processes.start("celery", celery, env)
        wait_for(
            lambda: b"ready." in (run_dir / "celery.log").read_bytes(), 90, "the Celery worker"
        )
        groups = {"celery": worker.pid}
        if server_pid := postmaster():
            groups["postgresql"] = server_pid

        workers = args.workers
        if "sweep" in phases and not workers:
            results["sweep"] = []
            for count in [int(c) for c in args.sweep.split(",")]:
                server = Server(processes, env, count)
                server.start()
                say(f"sweep: {count} workers")
                try:
                    g = {**groups, "gunicorn": server.process.pid}
                    found = saturation(
                        "sweep", server, SWEEP_PAGES, args.rounds, args.seconds, run_dir, g, targets
                    )
                finally:
                    server.stop()
                results["sweep"].append({"workers": count, **found})
                say("  " + ", ".join(f"{p} {found[p]['best per second']}/s" for p in SWEEP_PAGES))
            best = max(
                results["sweep"],
                key=lambda r: (r[SWEEP_PAGES[1]]["best per second"], -r["workers"]),
            )
            workers = best["workers"]
        workers = workers or 3
        results["workers"] = workers

        server = Server(processes, env, workers)
        server.start()
        g = {**groups, "gunicorn": server.process.pid}
        say(f"gunicorn with {workers} workers on {server.url}")
        if "mixed" in phases:
            results["mixed"] = mixed(server, args, run_dir, g, targets)
        if "saturation" in phases:
            say(f"saturation: {len(SATURATION_PAGES)} pages, {args.rounds} rounds")
            found = saturation(
                "saturation",
                server,
                SATURATION_PAGES,
                args.rounds,
                args.seconds,
                run_dir,
                g,
                targets,
            )
            results["saturation"] = [found[page] for page in SATURATION_PAGES]
        results["load average at end"] = os.getloadavg()[0]
        results["goals"] = judge(results)
        report(results)
    finally:
        signal.alarm(0)
        processes.stop_all()
        try:
            flush_redis()
        except Exception as error:  # cleaning up must not hide the real error
            print(f"could not empty Redis database 14: {error}")
        (run_dir / "results.json").write_text(json.dumps(results, indent=1, default=str))
        say(f"results in {run_dir / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

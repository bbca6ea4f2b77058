"""Serve the app with gunicorn on loopback, load it with wrk, and print how the pages compare.

    .venv/bin/python benchmarks/run.py --db sqlite --communes 96 --months 18 --history-factor 1,10
    .venv/bin/python benchmarks/run.py --db postgresql --history-factor 1,10

For each history factor the database is built with ``python -m devtools synth`` (SQLite under
``benchmarks/.data/``, or the PostgreSQL database ``tracker_bench_<factor>x``; ``--reuse`` keeps
one already built), gunicorn serves ``wsgi:app`` in production mode with a fresh SECRET_KEY,
the script signs in through the login form and wrk loads each page in turn with that session
cookie. Every figure is compared with the trivial page (``/about``) measured in the same run,
and each page with itself at the first history factor. The table is printed and written to
``benchmarks/results/``. Not part of ``make test``: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = ROOT / "benchmarks" / ".data"
RESULTS = ROOT / "benchmarks" / "results"
LUA = ROOT / "benchmarks" / "latency.lua"
WARM_UP_SECONDS = 2  # per page, before the measured rounds; not counted
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")

# The targets, checked on every run.
DASHBOARD_MIN_RATIO = 0.3  # dashboard throughput ≥ 0.3 × the trivial page's
ITEM_MAX_GROWTH = 1.2  # item page latency at the largest history ≤ 1.2 × at the smallest
ROLLUP_MAX_P95_MS = 300
KEPT_MAX_P95_MS = 300  # the province's heat-map and PDF when their kept copy is current (issue 15)
PDF_MAX_MS = 2000


@dataclass(frozen=True)
class Page:
    """A page to load: its name in the table, its path, who asks for it, and wrk's concurrency."""

    name: str
    path: str
    who: str  # "commune" or "province"
    connections: int


@dataclass(frozen=True)
class Result:
    """What wrk measured for one page."""

    rps: float
    p50_ms: float
    p95_ms: float
    requests: int


def run(cmd: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    """Run a command, failing loudly with its output."""
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False, **kw)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return done


def database_url(db: str, factor: int) -> str:
    """Return the benchmark database of this kind and history factor."""
    if db == "sqlite":
        return f"sqlite:///{DATA / f'bench-{factor}x.db'}"
    return f"{PG_SERVER}/tracker_bench_{factor}x"


def build(db: str, factor: int, args: argparse.Namespace, env: dict[str, str]) -> float:
    """Create the database with the migrations and synth; return the seconds it took (0 if reused)."""
    url = env["DATABASE_URL"]
    marker = DATA / f"{db}-{factor}x.built"
    wanted = f"{args.data} {args.communes} {args.months} {args.seed} {date.today()}"
    if args.reuse and marker.exists() and marker.read_text() == wanted:
        return 0.0
    DATA.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        run([sys.executable, "-c", (
            "import psycopg,sys;c=psycopg.connect(sys.argv[1],autocommit=True);"
            "c.execute(f'DROP DATABASE IF EXISTS {sys.argv[2]} WITH (FORCE)');"
            "c.execute(f\"CREATE DATABASE {sys.argv[2]} ENCODING 'UTF8' TEMPLATE template0\")"),
            f"{PG_SERVER}/postgres", name], env)
    started = time.monotonic()
    flask = [str(BIN / "flask"), "--app", "tracker"]
    devtools = [str(BIN / "python"), "-m", "devtools"]  # the development commands (demo data, synth)
    run([*flask, "db", "upgrade"], env)
    if args.data == "demo":  # the Ngọk Bay plan and its demo entries: a quick check of the harness
        run([*flask, "seed"], env)
        run([*devtools, "seed-demo"], env)
    else:
        # The history ends this week, so today's pages are the common case the app is built for.
        start = date.today() - timedelta(days=round(args.months * 30.44))
        run([*devtools, "synth", "--communes", str(args.communes), "--months", str(args.months),
             "--seed", str(args.seed), "--history-factor", str(factor), "--start", start.isoformat()], env)
    if db == "postgresql":
        run([sys.executable, "-c", "import psycopg,sys;psycopg.connect(sys.argv[1],autocommit=True)"
             ".execute('VACUUM ANALYZE')", url], env)
    marker.write_text(wanted)
    return time.monotonic() - started


def discover(env: dict[str, str]) -> dict[str, str]:
    """Ask the app for what the pages need: users, an item code, a period id, the roll-up path."""
    code = r"""
import json
from sqlalchemy import func, select
from tracker import create_app
from tracker.extensions import db
from tracker.models import Plan, ProgressEntry, ReportingPeriod, Target, User
app = create_app()
with app.app_context():
    s = db.session
    plan = s.scalars(select(Plan).order_by(Plan.id)).first()
    leader = s.scalars(select(User).where(User.commune_id == plan.commune_id, User.role == "leader")
                       .order_by(User.id)).first()
    busiest = s.execute(select(Target.code, func.count(ProgressEntry.id)).join(ProgressEntry)
                        .where(Target.plan_id == plan.id).group_by(Target.code)
                        .order_by(func.count(ProgressEntry.id).desc(), Target.code)).first()
    period = s.scalars(select(ReportingPeriod).where(ReportingPeriod.commune_id == plan.commune_id)
                       .order_by(ReportingPeriod.end_date.desc())).first()
    province = s.scalars(select(User).where(User.province_id.is_not(None), User.role == "leader")
                         .order_by(User.id)).first()
    entries = s.scalar(select(func.count(ProgressEntry.id)))
    print(json.dumps({"leader": leader.username, "item": busiest[0], "item_entries": busiest[1],
                      "period": period.id, "province": province.username if province else "",
                      "entries": entries}))
"""
    import json

    return json.loads(run([sys.executable, "-c", code], env).stdout.strip().splitlines()[-1])


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the form and return the ``Cookie`` header value of the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = cookie_of(response)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    form = {"username": username, "password": password, **({"csrf_token": token[1]} if token else {})}
    conn.request("POST", "/login", body=urlencode(form), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        sys.exit(f"sign-in of {username} failed: {response.status}")
    return cookie_of(response) or cookie


def cookie_of(response: http.client.HTTPResponse) -> str:
    """Return ``session=...`` from a response's Set-Cookie headers (Secure or not: we are the client)."""
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("session="):
            return header.split(";", 1)[0]
    return ""


def check(port: int, path: str, cookie: str) -> None:
    """Refuse to measure a page that does not answer 200 (a redirect to sign-in is fast, not right)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}, not 200")


def wrk(port: int, page: Page, cookie: str, seconds: int) -> Result:
    """Load one page with wrk and return its throughput and latency percentiles."""
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t", str(min(2, page.connections)), "-c", str(page.connections),
         "-d", f"{seconds}s", "--timeout", "30s", "-s", str(LUA), "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{page.path}"],
        capture_output=True, text=True, check=True).stdout
    found = dict(re.findall(r"(\w+)=(\d+)", out.split("BENCH", 1)[1]))
    if int(found["errors"]) or int(found["status_errors"]):
        sys.exit(f"{page.path}: wrk saw errors\n{out}")
    requests = int(found["requests"])
    return Result(requests / (int(found["duration_us"]) / 1e6), int(found["p50_us"]) / 1000,
                  int(found["p95_us"]) / 1000, requests)


def combine(rounds: list[Result]) -> Result:
    """Merge the rounds of one page: total requests over total time; the median round's percentiles."""
    rounds = [r for r in rounds if r.requests] or rounds[:1]  # a round too short for one request says nothing
    seconds = sum(r.requests / r.rps for r in rounds if r.rps) or 1.0
    return Result(sum(r.requests for r in rounds) / seconds, statistics.median(r.p50_ms for r in rounds),
                  statistics.median(r.p95_ms for r in rounds), sum(r.requests for r in rounds))


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """Start gunicorn and wait until it answers."""
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/login")
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit("gunicorn did not start")


def measure(db: str, factor: int, args: argparse.Namespace) -> tuple[dict[str, Result], dict, float]:
    """Build (or reuse) the database of ``factor``, serve it, and load every page."""
    env = {**os.environ, "DATABASE_URL": database_url(db, factor), "TRACKER_ENV": "development",
           "TRACKER_DEMO_PASSWORD": args.password, "TRACKER_PASSWORD": args.password,
           "TRACKER_UPLOAD_DIR": str(DATA / "uploads"),
           "TRACKER_PROVINCE_FILES_DIR": str(DATA / f"province-files-{db}-{factor}x")}
    seconds = build(db, factor, args, env)
    facts = discover(env)
    env.update(TRACKER_ENV="production", SECRET_KEY=secrets.token_hex(32))
    server = serve(env, args.port, args.workers)
    try:
        cookies = {"commune": sign_in(args.port, facts["leader"], args.password)}
        pages = [Page("trivial (/about)", "/about", "commune", args.connections),
                 Page("dashboard", "/plan", "commune", args.connections),  # "/" sends each role on
                 Page(f"item ({facts['item']})", f"/items/{facts['item']}", "commune", args.connections)]
        if facts["province"] and args.rollup:
            cookies["province"] = sign_in(args.port, facts["province"], args.password)
            # Targets on latency (p95, seconds), not throughput: one user at a time.
            pages.append(Page("province roll-up", args.rollup, "province", 1))
            # The completeness board of the latest week that is due: every commune's state and sums.
            pages.append(Page("province board", "/province/reports", "province", 1))
            # Drawn once by check() below (as the nightly job would), then served from the kept copy.
            pages.append(Page("province heat-map (kept)", "/province/heatmap.png", "province", 1))
            pages.append(Page("province PDF (kept)", "/province/report.pdf", "province", 1))
        pages.append(Page("PDF report", f"/reports/{facts['period']}/report.pdf", "commune", 1))
        for page in pages:
            check(args.port, page.path, cookies[page.who])
        # Warm every worker on every page first (templates compiled, statements cached, fonts
        # loaded): a worker's first dashboard costs a hundred times a warm one, and which pages
        # a round happened to warm first made the same build differ by 10% between runs.
        for page in pages:
            wrk(args.port, page, cookies[page.who], WARM_UP_SECONDS)
        # Round-robin: every page is loaded in each round, so a neighbour's burst on the shared
        # machine falls on all pages alike instead of on whichever page was running.
        rounds: dict[str, list[Result]] = {page.name.split(" (")[0]: [] for page in pages}
        for number in range(args.rounds):
            for page in pages:
                duration = args.latency_seconds if page.connections == 1 else args.seconds
                result = wrk(args.port, page, cookies[page.who], max(1, round(duration / args.rounds)))
                rounds[page.name.split(" (")[0]].append(result)
                print(f"  {db} ×{factor} round {number + 1} {page.name}: {result}", flush=True)
        results = {name: combine(found) for name, found in rounds.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    return results, facts, seconds


def verdict(met: bool) -> str:
    """Say whether a target is met."""
    return "met" if met else "**MISSED**"


def table(db: str, runs: dict[int, tuple[dict[str, Result], dict, float]], args) -> str:
    """Return the Markdown report of one database's runs, with the targets checked."""
    factors = sorted(runs)
    lines = [f"### {db}: {args.communes} communes × {args.months} months, gunicorn {args.workers} workers, "
             f"wrk {args.connections} connections × {args.seconds} s (roll-up and PDF: 1 connection × "
             f"{args.latency_seconds} s), pages interleaved in {args.rounds} rounds", ""]
    for factor in factors:
        results, facts, seconds = runs[factor]
        trivial = results["trivial"]
        built = f", built in {seconds:.0f} s" if seconds else ""
        lines += [f"History ×{factor}: {facts['entries']:,} entries; the item page's item has "
                  f"{facts['item_entries']} entries{built}.", "",
                  "| page | req/s | p50 ms | p95 ms | req/s ÷ trivial | p50 ÷ trivial |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, r in results.items():
            lines.append(f"| {name} | {r.rps:.1f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | "
                         f"{r.rps / trivial.rps:.2f} | {r.p50_ms / trivial.p50_ms:.1f} |")
        lines.append("")
    if len(factors) > 1:
        low, high = runs[factors[0]][0], runs[factors[-1]][0]
        lines += [f"Cost growth, history ×{factors[-1]} against ×{factors[0]} (each run has its own "
                  "trivial page: the last column divides out the machine's drift between runs):", "",
                  "| page | p50 ratio | p95 ratio | req/s ratio | p50 ratio, each ÷ its trivial |",
                  "|---|---:|---:|---:|---:|"]
        for name in low:
            if name in high:
                a, b = low[name], high[name]
                norm = (b.p50_ms / high["trivial"].p50_ms) / (a.p50_ms / low["trivial"].p50_ms)
                lines.append(f"| {name} | {b.p50_ms / a.p50_ms:.2f} | {b.p95_ms / a.p95_ms:.2f} | "
                             f"{b.rps / a.rps:.2f} | {norm:.2f} |")
        lines.append("")
    lines += ["Targets:", ""]
    for factor in factors:
        results = runs[factor][0]
        ratio = results["dashboard"].rps / results["trivial"].rps
        lines.append(f"- ×{factor}: dashboard throughput {ratio:.2f} × trivial "
                     f"(target ≥ {DASHBOARD_MIN_RATIO}): {verdict(ratio >= DASHBOARD_MIN_RATIO)}")
        if "province roll-up" in results:
            p95 = results["province roll-up"].p95_ms
            lines.append(f"- ×{factor}: province roll-up p95 {p95:.0f} ms, one at a time "
                         f"(target < {ROLLUP_MAX_P95_MS}): "
                         f"{verdict(p95 < ROLLUP_MAX_P95_MS)}")
        if "province board" in results:
            p95 = results["province board"].p95_ms
            lines.append(f"- ×{factor}: province completeness board p95 {p95:.0f} ms, one at a time "
                         f"(target < {ROLLUP_MAX_P95_MS}, as the roll-up): "
                         f"{verdict(p95 < ROLLUP_MAX_P95_MS)}")
        for name in ("province heat-map", "province PDF"):
            if name in results:
                p95 = results[name].p95_ms
                lines.append(f"- ×{factor}: {name} served from its kept copy p95 {p95:.0f} ms, one at a "
                             f"time (target < {KEPT_MAX_P95_MS}): {verdict(p95 < KEPT_MAX_P95_MS)}")
        pdf = results["PDF report"].p95_ms
        lines.append(f"- ×{factor}: PDF of a commune report p95 {pdf:.0f} ms, one at a time "
                     f"(target < {PDF_MAX_MS}): {verdict(pdf < PDF_MAX_MS)}")
    if len(factors) > 1:
        a, b = runs[factors[0]][0]["item"], runs[factors[-1]][0]["item"]
        growth = b.p50_ms / a.p50_ms
        lines.append(f"- item page p50 at ×{factors[-1]} = {growth:.2f} × at ×{factors[0]} "
                     f"(target ≤ {ITEM_MAX_GROWTH}): {verdict(growth <= ITEM_MAX_GROWTH)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Parse the options, measure every history factor on the database, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--data", choices=("synth", "demo"), default="synth",
                        help="demo: the seeded plan and demo entries only, to try the harness quickly")
    parser.add_argument("--communes", type=int, default=96)
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--history-factor", default="1,10", help="comma-separated, e.g. 1,10")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=12, help="per page, split over the rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-seconds", type=int, default=18,
                        help="how long the one-connection pages (roll-up, PDF) are loaded")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--password", default="synth-mat-khau",
                        help="the users' password (synth's default; demo-ngokbay with --data demo)")
    parser.add_argument("--rollup", default="/province", help="the province roll-up's path")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a database already built with the same options")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    factors = [int(f) for f in args.history_factor.split(",")]
    runs = {}
    for factor in factors:
        print(f"{args.db}, history ×{factor}:", flush=True)
        runs[factor] = measure(args.db, factor, args)
    report = table(args.db, runs, args)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"{stamp}-{args.db}.md").write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

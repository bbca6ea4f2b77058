"""Time one page in-process against the trivial page, and optionally profile it.

    DATABASE_URL=sqlite:///$PWD/benchmarks/.data/bench-1x.db \\
        .venv/bin/python benchmarks/profile_page.py / synth-001.lanhdao --requests 500 [--profile 40]

Uses the database ``benchmarks/run.py`` built (or any ``DATABASE_URL``) and Flask's test client:
no server, no network, so the figures are the app's own cost per request (wall and CPU time;
on PostgreSQL the difference is the wait for the server). Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import time

os.environ.setdefault("TRACKER_ENV", "production")
os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))  # production refuses a short or known key
os.environ["SESSION_COOKIE_SECURE"] = "0"  # the test client speaks plain HTTP

from tracker import create_app  # noqa: E402  (after the environment is set)

TRIVIAL = "/about"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("username")
    parser.add_argument("--password", default="synth-mat-khau")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=int, metavar="N", help="print the N costliest functions")
    args = parser.parse_args()

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    answer = client.post("/login", data={"username": args.username, "password": args.password})
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed: {answer.status_code}")
    for path in (TRIVIAL, args.path):
        for _ in range(10):  # templates compiled, statements cached and prepared
            if (status := client.get(path).status_code) != 200:
                raise SystemExit(f"{path}: {status}")
    timings = {}
    for path in (TRIVIAL, args.path):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            client.get(path)
        timings[path] = ((time.perf_counter() - wall) / args.requests * 1000,
                         (time.process_time() - cpu) / args.requests * 1000)
        print(f"{path}: {timings[path][0]:.2f} ms wall, {timings[path][1]:.2f} ms CPU a request")
    print(f"trivial ÷ page (wall): {timings[TRIVIAL][0] / timings[args.path][0]:.2f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(args.path)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()

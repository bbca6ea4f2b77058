"""Prepare an empty PostgreSQL database for the test suite's second pass.

Prints the database URL and exits 0, or explains why it cannot and exits 3 (no server).
Usage: python tools/pgtest.py [ADMIN_URL]  (default postgresql://postgres@127.0.0.1:5432/postgres)
"""

import os
import sys

import psycopg
from psycopg import sql

DB_NAME = os.environ.get("TRACKER_PG_TEST_DB", "tracker_test")


def main() -> int:
    """Recreate the test database and print its URL."""
    admin_url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(DB_NAME)))
    except psycopg.OperationalError as exc:
        print(f"no PostgreSQL server reachable at {admin_url}: {exc}".splitlines()[0], file=sys.stderr)
        return 3
    base = admin_url.rsplit("/", 1)[0]
    print(f"{base}/{DB_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

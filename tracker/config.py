"""Settings, read from the environment only here."""

import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def normalise_database_url(url: str) -> str:
    """Make plain ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


# The keys written in this source (development and test only): public, so never accepted elsewhere.
PUBLIC_KEYS = frozenset({"dev-only-not-secret", "test-only-not-secret"})
SECRET_KEY_MIN_LENGTH = 32
GENERATE_KEY_ADVICE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


def secret_key_problem(key: str | None) -> str | None:
    """Say why ``key`` cannot sign production sessions (None: it can).

    Refused: no key, a key written in this source, fewer than 32 characters, or fewer than
    10 different characters (``aaaa…``, ``changeme`` repeated): such keys can be guessed, and
    whoever knows the key forges any session cookie, an administrator's included.
    """
    if not key:
        return "SECRET_KEY is not set"
    if key in PUBLIC_KEYS:
        return "SECRET_KEY is the development/test key published in the source code"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY has {len(key)} characters; at least {SECRET_KEY_MIN_LENGTH} are needed"
    if len(set(key)) < 10:
        return "SECRET_KEY repeats too few different characters to be secret"
    return None


class Config:
    """Settings shared by every environment; production values unless overridden."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tracker.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    TIMEZONE = os.environ.get("TRACKER_TIMEZONE", "Asia/Ho_Chi_Minh")
    # OWASP's minimum scrypt cost is N=2**17; Werkzeug's default is lower.
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"  # noqa: S105 (a hash method, not a password)
    PASSWORD_MIN_LENGTH = 8
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "10")))
    # Officials leave forms open for long: the CSRF token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    # Three evidence files of 10 MB each and the form; larger bodies are refused before reading.
    MAX_CONTENT_LENGTH = 31 * 1024 * 1024
    UPLOAD_DIR = os.environ.get("TRACKER_UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Signed submissions (ký số): the PEM files of the root (or intermediate) certificates whose
    # signatures count as an agency's, separated by ":" (each file may hold several certificates).
    # Empty: no signed report is accepted; a signature is still checked and its signer named.
    SIGNATURE_TRUST_ROOTS = [path for path in os.environ.get("TRACKER_SIGNATURE_TRUST_ROOTS", "")
                             .split(os.pathsep) if path.strip()]
    # The province's heat-map and summary PDF drawn ahead (``services.province_files``): derived
    # files, redrawn when missing; shared by the web workers and the scheduler like UPLOAD_DIR.
    PROVINCE_FILES_DIR = os.environ.get("TRACKER_PROVINCE_FILES_DIR", str(INSTANCE_DIR / "province-files"))
    SEED_FILE = os.environ.get("TRACKER_SEED_FILE", "seed/ngok_bay.yaml")
    DEMO_FILE = "seed/demo.yaml"
    # E-mail notifications: off unless SMTP_HOST is set (none in development by default).
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USER = os.environ.get("SMTP_USER") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "1") == "1"
    SMTP_TIMEOUT = int(os.environ.get("SMTP_TIMEOUT", "20"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "tracker@localhost")
    # How many reverse proxies (nginx) stand in front of gunicorn: their X-Forwarded-For and
    # X-Forwarded-Proto are then trusted, so the sign-in throttle and the audit log see each
    # client's own address, not the proxy's. 0: no proxy, trust no such header.
    PROXY_COUNT = int(os.environ.get("TRACKER_PROXY_COUNT", "0"))
    # Absolute links in e-mails (the inbox uses relative ones).
    BASE_URL = os.environ.get("TRACKER_BASE_URL", "http://127.0.0.1:5000")
    # Finished job runs are kept this many days (the nightly ``prune`` job deletes older ones).
    JOB_HISTORY_DAYS = int(os.environ.get("TRACKER_JOB_HISTORY_DAYS", "90"))


class DevelopmentConfig(Config):
    """Local development: SQLite under instance/, plain HTTP, demo data allowed.

    Only ever chosen explicitly (``TRACKER_ENV=development``, as ``make run`` does): its default
    key is public.
    """

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestConfig(Config):
    """The test suite: a throwaway database and cheap password hashing."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'test.db'}")
    )
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105 (cheap hashing for tests only)
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    UPLOAD_DIR = str(INSTANCE_DIR / "test-uploads")
    PROVINCE_FILES_DIR = str(INSTANCE_DIR / "test-province-files")


CONFIGS = {"development": DevelopmentConfig, "production": Config, "test": TestConfig}


# The configurations whose key may be a public one; they are chosen by name, never by default.
KEYLESS_ENVIRONMENTS = frozenset({"development", "test"})


def config_from_environment() -> type[Config]:
    """Pick the settings class named by TRACKER_ENV (default: production, which needs a real key).

    Fails closed: a server started without TRACKER_ENV (``gunicorn wsgi:app``) never runs with the
    development settings and their public key.
    """
    name = os.environ.get("TRACKER_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"TRACKER_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    return CONFIGS[name]

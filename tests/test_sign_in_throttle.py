"""The sign-in throttle slows a guesser down, never locks the owner out, and counts atomically."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tracker.domain.throttle import FREE_ATTEMPTS, MAX_DELAY
from tracker.extensions import db as _db
from tracker.models import AuditEvent
from tracker.models.base import utcnow
from tracker.services import users
from tracker.services.users import LoginThrottled, authenticate, reset_password

SECOND = timedelta(seconds=1)


def _count(db, action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def _guess(db, username: str, address: str, now) -> int | None:
    """One wrong guess; the wait it was refused with (None: the password was checked)."""
    try:
        assert authenticate(db.session, username, "sai-mat-khau", address, now=now) is None
    except LoginThrottled as throttled:
        return throttled.retry_after
    finally:
        db.session.commit()
    return None


def test_guesses_from_elsewhere_never_delay_the_owner_at_their_usual_place(db, make_user):
    make_user("bithu", "leader", "TTDU")
    now = utcnow()
    for _ in range(40):  # a guesser somewhere else, as fast as the throttle lets them
        now += timedelta(seconds=_guess(db, "bithu", "198.51.100.7", now) or 0)
    assert _count(db, "auth.login_throttled") > 0, "the guesser was slowed down"
    assert authenticate(db.session, "bithu", PASSWORD, "10.0.0.1", now=now) is not None


def test_the_wait_grows_and_never_exceeds_a_minute(db, make_user):
    make_user("bithu", "leader", "TTDU")
    now, waits = utcnow(), []
    while len(waits) < 9:
        wait = _guess(db, "bithu", "10.0.0.1", now)
        if wait is not None:
            waits.append(wait)
            now += wait * SECOND
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert max(waits) <= MAX_DELAY.total_seconds()
    # The free attempts, then one after each wait but the last: none while waiting.
    assert _count(db, "auth.login_failed") == FREE_ATTEMPTS + len(waits) - 1
    assert _count(db, "auth.login_throttled") == len(waits)
    # A minute after the last guess, the right password from the same place gets in and clears the count.
    assert authenticate(db.session, "bithu", PASSWORD, "10.0.0.1", now=now) is not None
    db.session.commit()
    assert all(_guess(db, "bithu", "10.0.0.1", now) is None for _ in range(FREE_ATTEMPTS))


def test_made_up_names_do_not_lock_out_everyone_at_the_address(db, make_user):
    make_user("bithu", "leader", "TTDU")
    now = utcnow()
    for n in range(60):
        assert _guess(db, f"khong-co-{n}", "10.0.0.1", now) is None
    assert authenticate(db.session, "bithu", PASSWORD, "10.0.0.1", now=now) is not None


def test_a_password_reset_lifts_the_wait(db, data_app, make_user):
    admin = make_user("admin", "admin")
    head = make_user("tp.kt", "unit_head", "KT")
    now = utcnow()
    waits = [_guess(db, "tp.kt", "10.0.0.1", now) for _ in range(FREE_ATTEMPTS + 1)]
    assert waits[-1] is not None, "the owner's place is waiting"
    reset_password(db.session, head, "mat-khau-dat-lai", actor=admin,
                   hash_method=data_app.config["PASSWORD_HASH_METHOD"], min_length=8)
    db.session.commit()
    assert authenticate(db.session, "tp.kt", "mat-khau-dat-lai", "10.0.0.1", now=now) is not None


def test_parallel_guesses_check_at_most_the_free_attempts(db, data_app, make_user, monkeypatch):
    """Twelve guesses at once (threads, each with its own database connection): five are checked."""
    make_user("bithu", "leader", "TTDU")
    checked = []
    real_check = users.check_password_hash

    def counting_check(*args):
        checked.append(1)
        return real_check(*args)

    monkeypatch.setattr(users, "check_password_hash", counting_check)
    now, guesses = utcnow(), 12
    start = threading.Barrier(guesses)

    def guess(n: int) -> str:
        with data_app.app_context():
            start.wait()
            try:
                authenticate(_db.session, "bithu", f"sai-{n}", "203.0.113.9", now=now)
                return "checked"
            except LoginThrottled:
                return "throttled"
            finally:
                _db.session.commit()
                _db.session.remove()

    with ThreadPoolExecutor(guesses) as pool:
        outcomes = list(pool.map(guess, range(guesses)))
    assert len(checked) == FREE_ATTEMPTS
    assert outcomes.count("checked") == FREE_ATTEMPTS
    assert outcomes.count("throttled") == guesses - FREE_ATTEMPTS
    assert _count(db, "auth.login_failed") == FREE_ATTEMPTS
    assert _count(db, "auth.login_throttled") == guesses - FREE_ATTEMPTS


def test_throttled_sign_in_page_says_how_long_to_wait(client, make_user, db):
    make_user("bithu", "leader", "TTDU")
    for _ in range(3 * FREE_ATTEMPTS):
        answer = client.post("/login", data={"username": "bithu", "password": "sai"})
        if answer.status_code == 429:
            break
    answer = client.post("/login", data={"username": "bithu", "password": PASSWORD})
    assert answer.status_code == 429
    wait = int(answer.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert "Đăng nhập sai quá nhiều lần" in answer.text
    assert f"{wait} giây" in answer.text
    assert _count(db, "auth.login") == 0


def test_a_made_up_name_is_checked_as_slowly_as_a_real_password(db, make_user, monkeypatch):
    """The stand-in hash for unknown names uses the configured cost: timing tells no name apart."""
    make_user("bithu", "leader", "TTDU")
    hashes = []
    monkeypatch.setattr(users, "check_password_hash", lambda stored, password: hashes.append(stored))
    authenticate(db.session, "khong-co", "sai", "10.0.0.1", hash_method="scrypt:2048:8:1")
    assert hashes[0].startswith("scrypt:2048:8:1$")


def test_a_threaded_server_checks_few_passwords_at_once(db, data_app, make_user, monkeypatch):
    """Each production check holds 128 MiB: twelve sign-ins at once (each from its own place, so the
    throttle lets them all through) never run more than PASSWORD_CHECKS_AT_ONCE checks together."""
    make_user("bithu", "leader", "TTDU")
    running, most = [], []
    lock = threading.Lock()
    real_check = users.check_password_hash

    def slow_check(*args):
        with lock:
            running.append(1)
            most.append(len(running))
        try:
            threading.Event().wait(0.2)
            return real_check(*args)
        finally:
            with lock:
                running.pop()

    monkeypatch.setattr(users, "check_password_hash", slow_check)
    now, guesses = utcnow(), 12
    start = threading.Barrier(guesses)

    def sign_in(n: int):
        with data_app.app_context():
            start.wait()
            try:
                return authenticate(_db.session, "bithu", PASSWORD, f"10.0.1.{n}", now=now) is not None
            finally:
                _db.session.commit()
                _db.session.remove()

    with ThreadPoolExecutor(guesses) as pool:
        assert all(pool.map(sign_in, range(guesses))), "everyone got in, in turn"
    assert 1 <= max(most) <= users.PASSWORD_CHECKS_AT_ONCE


def test_when_no_check_is_free_in_time_the_page_says_to_retry(client, make_user, db, monkeypatch):
    make_user("bithu", "leader", "TTDU")
    monkeypatch.setattr(users, "_password_checks", threading.Semaphore(0))  # every check taken
    monkeypatch.setattr(users, "PASSWORD_CHECK_WAIT", 1)
    answer = client.post("/login", data={"username": "bithu", "password": PASSWORD})
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "1"
    assert "Đang có nhiều người đăng nhập cùng lúc" in answer.text
    assert _count(db, "auth.login") == 0
    assert _count(db, "auth.login_throttled") == 1


def test_a_free_attempt_is_never_refused_because_another_request_came_a_moment_later(db, make_user):
    """Two sign-ins at once: the one whose clock was read first may claim its slot second.

    Found when two test clients signing in together got a one-second wait on their first attempt:
    a free attempt must not wait for anything, whatever order the two claims land in.
    """
    make_user("vanthu", "secretary")
    earlier = utcnow()
    later = earlier + timedelta(milliseconds=300)
    assert authenticate(db.session, "vanthu", PASSWORD, "10.0.0.1", now=later) is not None
    db.session.commit()
    assert _guess(db, "vanthu", "10.0.0.1", later) is None
    assert _guess(db, "vanthu", "10.0.0.1", earlier) is None, "a free attempt was told to wait"

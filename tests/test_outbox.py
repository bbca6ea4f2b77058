"""E-mail through a real local SMTP server (aiosmtpd): delivery, a server that is down, back-off."""

import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tracker.domain.reminders import Reminder
from tracker.jobs import tasks
from tracker.jobs.runner import as_utc
from tracker.models import Notification, OutboxMail
from tracker.services.notifications import (
    PreferenceRefused,
    mail_settings,
    notify,
    outbox_key,
    save_preferences,
)


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.received.append((envelope.rcpt_tos, message_from_bytes(envelope.original_content,
                                                                     policy=default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1; ``start()`` and ``stop()`` it at will (same port)."""
    class Server:
        def __init__(self):
            self.port, self.inbox, self.controller = free_port(), Inbox(), None

        def start(self):
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            self.controller.start()

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def config(data_app, smtp):
    return {**data_app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, "SMTP_STARTTLS": False,
            "SMTP_TIMEOUT": 5, "MAIL_FROM": "tracker@ngokbay.example.vn",
            "BASE_URL": "https://cds.ngokbay.example.vn"}


@pytest.fixture
def head(make_user, db):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    user.email = "tp.tthcc@ngokbay.example.vn"
    db.session.commit()
    return user


REMINDER = Reminder("overdue", "overdue:target:MT01:2025-12-31", "MT01 đã quá hạn 31/12/2025",
                    "MT01 – Dịch vụ công: đã quá hạn 31/12/2025 mà chưa hoàn thành. "
                    "Trạng thái: MT01 (chậm / quá hạn).")


def test_mail_arrives_at_a_real_smtp_server(db, plan, head, smtp, config):
    notify(db.session, head, REMINDER, "/items/MT01", mail_settings(config))
    db.session.commit()
    done = tasks.outbox_job(db.session, datetime.now(UTC), config)
    assert done == {"sent": 1, "failed": 0, "gave_up": 0}
    [(to, message)] = smtp.inbox.received
    assert to == ["tp.tthcc@ngokbay.example.vn"]
    assert message["Subject"] == "[Theo dõi CĐS] MT01 đã quá hạn 31/12/2025"
    body = message.get_content()
    assert "Kính gửi tp.tthcc" in body
    assert "chậm / quá hạn" in body
    assert "https://cds.ngokbay.example.vn/items/MT01" in body
    row = db.session.scalar(select(OutboxMail))
    assert row.idempotency_key == f"{head.id}.overdue.target.MT01.2025-12-31"
    assert message["Message-ID"] == f"<{row.idempotency_key}@ngokbay.example.vn>"
    assert row.sent_at is not None
    assert row.attempts == 1
    # Sending again sends nothing.
    assert tasks.outbox_job(db.session, datetime.now(UTC) + timedelta(hours=1), config)["sent"] == 0
    assert len(smtp.inbox.received) == 1


def test_a_server_that_is_down_keeps_the_mail_and_it_is_sent_later_once(db, plan, head, smtp, config):
    notify(db.session, head, REMINDER, "/items/MT01", mail_settings(config))
    db.session.commit()
    smtp.stop()
    now = datetime.now(UTC)
    assert tasks.outbox_job(db.session, now, config)["failed"] == 1
    row = db.session.scalar(select(OutboxMail))
    assert row.attempts == 1
    assert row.sent_at is None
    assert row.last_error
    assert as_utc(row.next_attempt_at) == now + timedelta(minutes=1)
    # Still down at the next try: two minutes to wait now.
    assert tasks.outbox_job(db.session, now + timedelta(minutes=1), config)["failed"] == 1
    assert as_utc(db.session.get(OutboxMail, row.id).next_attempt_at) == now + timedelta(minutes=3)
    smtp.start()
    # Before the back-off is over nothing is tried, even with the server back.
    assert tasks.outbox_job(db.session, now + timedelta(minutes=2), config)["sent"] == 0
    assert smtp.inbox.received == []
    assert tasks.outbox_job(db.session, now + timedelta(minutes=3), config)["sent"] == 1
    assert tasks.outbox_job(db.session, now + timedelta(minutes=10), config)["sent"] == 0
    assert len(smtp.inbox.received) == 1
    row = db.session.get(OutboxMail, row.id)
    assert (row.attempts, row.last_error) == (3, None)


def test_gives_up_after_ten_attempts(db, plan, head, smtp, config):
    notify(db.session, head, REMINDER, "/items/MT01", mail_settings(config))
    db.session.commit()
    smtp.stop()
    now = datetime.now(UTC)
    for _ in range(10):
        tasks.outbox_job(db.session, now, config)
        now += timedelta(days=2)
    row = db.session.scalar(select(OutboxMail))
    assert row.attempts == 10
    assert row.gave_up_at is not None
    assert row.sent_at is None


def test_reminders_write_the_outbox_with_the_notification(db, plan, head, config):
    run_at = datetime(2026, 1, 1, 6, 30, tzinfo=UTC)
    tasks.reminder_job(db.session, run_at, config)
    db.session.commit()
    keys = set(db.session.scalars(select(OutboxMail.idempotency_key)))
    notes = db.session.scalars(select(Notification).where(Notification.user_id == head.id)).all()
    assert keys == {outbox_key(head, n.key) for n in notes}
    tasks.reminder_job(db.session, run_at + timedelta(hours=1), config)
    db.session.commit()
    assert set(db.session.scalars(select(OutboxMail.idempotency_key))) == keys


def test_a_user_without_email_still_gets_in_app_notifications(db, plan, make_user, config):
    user = make_user("tp.kt", "unit_head", "KT")
    assert notify(db.session, user, REMINDER, "/items/MT01", mail_settings(config)) is not None
    db.session.commit()
    assert db.session.scalar(select(OutboxMail)) is None
    assert db.session.scalar(select(Notification.shown)) is True


def test_preferences_choose_the_channels(db, plan, head, config):
    save_preferences(db.session, head, {"overdue": (False, True)}, head.email)
    db.session.commit()
    note = notify(db.session, head, REMINDER, "/items/MT01", mail_settings(config))
    assert note.shown is False                       # e-mail only
    assert db.session.scalar(select(OutboxMail)) is not None
    other = Reminder("stale", "stale:target:MT01:2025-07-01", "t", "b")
    assert notify(db.session, head, other, None, mail_settings(config)) is None   # both off


POISONED = ("x@[10.0.0.1", "a@ngokbay.example.vn,x@evil.example.vn", "a@ngokbay.example.vn\r\nBcc: x@evil.vn",
            "Kẻ Lạ <x@evil.example.vn>")


def test_a_poisoned_address_in_the_outbox_fails_alone_and_the_rest_is_sent(db, plan, smtp, config):
    """Rows written before addresses were checked (inserted here directly, past every check) each
    count a failed attempt and back off; the good mail behind them goes to its one recipient."""
    now = datetime.now(UTC)
    for number, address in enumerate(POISONED):
        db.session.add(OutboxMail(idempotency_key=f"poison.{number}", to_address=address, subject="Thử",
                                  body="Thư thử", next_attempt_at=now))
    db.session.add(OutboxMail(idempotency_key="good.1", to_address="tp.tthcc@ngokbay.example.vn",
                              subject="Thư tốt", body="Thư tốt", next_attempt_at=now))
    db.session.commit()
    assert tasks.outbox_job(db.session, now, config) == {"sent": 1, "failed": len(POISONED), "gave_up": 0}
    [(to, message)] = smtp.inbox.received
    assert to == ["tp.tthcc@ngokbay.example.vn"]
    assert message["To"] == "tp.tthcc@ngokbay.example.vn"
    db.session.expire_all()
    for row in db.session.scalars(select(OutboxMail).where(OutboxMail.idempotency_key.startswith("poison."))):
        assert (row.attempts, row.sent_at, row.claimed_until) == (1, None, None), row.to_address
        assert row.last_error.startswith("InvalidEmailAddress")
        assert as_utc(row.next_attempt_at) == now + timedelta(minutes=1)
    # They are retried with the usual back-off and given up after MAX_ATTEMPTS; nothing more is sent.
    for _ in range(12):
        now += timedelta(days=2)
        tasks.outbox_job(db.session, now, config)
    db.session.expire_all()
    poisoned = select(OutboxMail).where(OutboxMail.idempotency_key.startswith("poison."))
    rows = db.session.scalars(poisoned).all()
    assert {(r.attempts, r.gave_up_at is not None, r.sent_at) for r in rows} == {(10, True, None)}
    assert len(smtp.inbox.received) == 1


def test_an_unexpected_error_counts_as_an_attempt_of_that_mail(db, plan, head, smtp, config, monkeypatch):
    """Not only SMTP errors: any exception while sending one mail is that mail's failed attempt."""
    from tracker.services import notifications

    notify(db.session, head, REMINDER, "/items/MT01", mail_settings(config))
    db.session.commit()
    real = notifications.build_message
    calls = []

    def broken_once(row, sender):
        calls.append(row.id)
        if len(calls) == 1:
            raise RuntimeError("hỏng bất ngờ")
        return real(row, sender)

    monkeypatch.setattr(notifications, "build_message", broken_once)
    now = datetime.now(UTC)
    assert tasks.outbox_job(db.session, now, config) == {"sent": 0, "failed": 1, "gave_up": 0}
    row = db.session.scalar(select(OutboxMail))
    assert (row.attempts, row.last_error) == (1, "RuntimeError: hỏng bất ngờ")
    assert tasks.outbox_job(db.session, now + timedelta(minutes=1), config)["sent"] == 1
    assert len(smtp.inbox.received) == 1


@pytest.mark.parametrize("address", POISONED + ("a@b.vn;c@d.vn", "x@[10.0.0.1]", "a\x00@b.vn", ""))
def test_settings_refuse_anything_but_one_address(db, plan, head, address):
    with pytest.raises(PreferenceRefused):
        save_preferences(db.session, head, {}, address or "@")
    db.session.rollback()
    assert db.session.get(type(head), head.id).email == "tp.tthcc@ngokbay.example.vn"

"""Notifications: the in-app inbox, each user's choices, and the e-mail outbox.

An event becomes one ``Notification`` per user (unique per user and event key) and, when SMTP is
configured and the user wants it, one ``OutboxMail`` row in the same transaction. The outbox job
sends the mail later with retries, so a mail server that is down loses nothing.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tracker.domain.email_address import InvalidEmailAddress, check_email_address
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.reminders import Reminder, backoff_minutes
from tracker.models import NOTIFICATION_KINDS, Notification, NotificationPreference, OutboxMail, User
from tracker.models.base import utcnow

KIND_LABELS = {
    "due_soon": _l("Due soon"),
    "overdue": _l("Overdue"),
    "stale": _l("Not updated for long"),
    "red": _l("Turned red"),
    "weekly_draft": _l("Draft weekly report"),
    "report_due": _l("Report due to the province"),
    "report_review": _l("Report accepted or returned by the province"),
}
MAX_ATTEMPTS = 10
CLAIM_MINUTES = 5
BATCH = 50


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server; None of these in development by default."""

    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    timeout: int
    sender: str
    base_url: str


def mail_settings(config: Mapping[str, Any]) -> MailSettings | None:
    """Return the SMTP settings, or None when e-mail is not configured."""
    if not config.get("SMTP_HOST"):
        return None
    return MailSettings(config["SMTP_HOST"], int(config["SMTP_PORT"]), config.get("SMTP_USER"),
                        config.get("SMTP_PASSWORD"), bool(config.get("SMTP_STARTTLS")),
                        int(config.get("SMTP_TIMEOUT", 20)), config["MAIL_FROM"],
                        config.get("BASE_URL", "").rstrip("/"))


def preferences_of(session: Session, user: User) -> dict[str, tuple[bool, bool]]:
    """Return ``{kind: (in_app, email)}`` for every kind; no row means both on."""
    chosen = {p.kind: (p.in_app, p.email) for p in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    return {kind: chosen.get(kind, (True, True)) for kind in NOTIFICATION_KINDS}


class PreferenceRefused(ValueError):
    """A bad e-mail address on the settings page."""


def save_preferences(session: Session, user: User, choices: dict[str, tuple[bool, bool]],
                     email: str | None) -> None:
    """Store a user's channels per kind and their e-mail address (empty removes it)."""
    address = None
    if email is not None and str(email).strip():
        try:
            address = check_email_address(str(email))
        except InvalidEmailAddress as exc:
            raise PreferenceRefused(str(exc)) from None
    user.email = address
    existing = {p.kind: p for p in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for kind in NOTIFICATION_KINDS:
        in_app, by_mail = choices.get(kind, (False, False))
        row = existing.get(kind) or NotificationPreference(user_id=user.id, kind=kind)
        row.in_app, row.email = in_app, by_mail
        session.add(row)
    session.flush()


def outbox_key(user: User, key: str) -> str:
    """Return the mail's idempotency key, also its Message-ID's left part (dot-atom characters)."""
    return f"{user.id}." + key.replace(":", ".")


def notify(session: Session, user: User, reminder: Reminder, link: str | None,
           mail: MailSettings | None) -> Notification | None:
    """Notify ``user`` of an event once: inbox and/or outbox as they chose; None if already done."""
    if session.scalar(select(Notification.id).where(Notification.user_id == user.id,
                                                    Notification.key == reminder.key)):
        return None
    in_app, by_mail = preferences_of(session, user)[reminder.kind]
    wants_mail = by_mail and mail is not None and bool(user.email)
    if not in_app and not wants_mail:
        return None
    note = Notification(user_id=user.id, kind=reminder.kind, key=reminder.key, title=reminder.title,
                        body=reminder.body, link=link, shown=in_app)
    session.add(note)
    if wants_mail:
        url = f"{mail.base_url}{link}" if link else mail.base_url
        session.add(OutboxMail(
            idempotency_key=outbox_key(user, reminder.key), to_address=user.email,
            subject=f"[Theo dõi CĐS] {reminder.title}",
            body=(f"Kính gửi {user.full_name},\n\n{reminder.body}\n\nXem chi tiết: {url}\n\n"
                  "Thư gửi tự động; chọn loại thông báo nhận qua e-mail tại trang Thông báo > Cài đặt.\n"),
            next_attempt_at=utcnow()))
    session.flush()
    return note


def notify_all(session: Session, users: list[User], reminder: Reminder, link: str | None,
               mail: MailSettings | None) -> int:
    """Notify each user; return how many new notifications were made."""
    return sum(notify(session, user, reminder, link, mail) is not None for user in users)


def inbox_of(session: Session, user: User, limit: int = 100) -> list[Notification]:
    """Return the user's shown notifications, newest first."""
    return list(session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.shown.is_(True),
    ).order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def unread_count(session: Session, user: User) -> int:
    """Return how many shown notifications the user has not read."""
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.shown.is_(True), Notification.read_at.is_(None)))


def unread_count_column(user_id: Any) -> Any:
    """Return ``unread_count`` as a column of a query over users (``user_id``: its user id)."""
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == user_id, Notification.shown.is_(True),
                   Notification.read_at.is_(None))
            .correlate_except(Notification).scalar_subquery())


def owns_notification(session: Session, user: User, notification_id: int) -> bool:
    """True when the notification exists and is the user's."""
    return session.scalar(select(Notification.id).where(
        Notification.id == notification_id, Notification.user_id == user.id)) is not None


def mark_read(session: Session, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) notification of ``user`` read; return how many."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return session.execute(query.values(read_at=utcnow())).rowcount


def build_message(row: OutboxMail, sender: str) -> EmailMessage:
    """Build the e-mail; its Message-ID is the idempotency key so servers can drop a resend.

    The address is checked again: a row written before addresses were checked, or by hand,
    must not reach several recipients or break the header (``InvalidEmailAddress`` then).
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = check_email_address(row.to_address)
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<{row.idempotency_key}@{domain}>"
    message.set_content(row.body)
    return message


def deliver(message: EmailMessage, mail: MailSettings) -> None:
    """Hand one message to its one recipient, the ``To`` address (raises on any refusal or timeout)."""
    with smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout) as smtp:
        if mail.starttls:
            smtp.starttls()
        if mail.user:
            smtp.login(mail.user, mail.password or "")
        # The envelope names the recipient explicitly, never whatever the headers list.
        smtp.send_message(message, to_addrs=[str(message["To"])])


def send_outbox(session: Session, now: datetime, mail: MailSettings | None) -> dict[str, int]:
    """Send the mail that is due; failures wait 1, 2, 4... minutes, up to ten attempts.

    Each row is claimed (committed) before sending and marked sent right after, so two senders
    never send the same row. If the process dies between the SMTP hand-over and the commit, the
    claim expires and the row is sent again: at-least-once at that one edge, which the fixed
    Message-ID lets mail servers and clients recognise as a duplicate.

    Whatever goes wrong with one message (the server, the address, the text) counts as a failed
    attempt of that message alone, with the same back-off; the rest of the batch goes on.
    """
    done = {"sent": 0, "failed": 0, "gave_up": 0}
    if mail is None:
        return done
    due = session.scalars(select(OutboxMail.id).where(
        OutboxMail.sent_at.is_(None), OutboxMail.gave_up_at.is_(None), OutboxMail.next_attempt_at <= now,
    ).order_by(OutboxMail.id).limit(BATCH)).all()
    session.commit()
    for row_id in due:
        claimed = session.execute(update(OutboxMail).where(
            OutboxMail.id == row_id, OutboxMail.sent_at.is_(None),
            (OutboxMail.claimed_until.is_(None)) | (OutboxMail.claimed_until < now),
        ).values(claimed_until=now + timedelta(minutes=CLAIM_MINUTES))).rowcount
        session.commit()
        if not claimed:
            continue
        row = session.get(OutboxMail, row_id)
        try:
            deliver(build_message(row, mail.sender), mail)
        except Exception as exc:  # noqa: BLE001 (any failure is this message's, see above)
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            row.claimed_until = None
            if row.attempts >= MAX_ATTEMPTS:
                row.gave_up_at = now
                done["gave_up"] += 1
            else:
                row.next_attempt_at = now + timedelta(minutes=backoff_minutes(row.attempts))
                done["failed"] += 1
        else:
            row.attempts += 1
            row.sent_at = now
            row.last_error = None
            done["sent"] += 1
        session.commit()
    return done

"""Storing evidence files beside an entry, outside ``static/``, under random names."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.domain.evidence import CheckedFile
from tracker.domain.permissions import can_view
from tracker.models import Attachment, ProgressEntry, User
from tracker.services.access import actor_of
from tracker.services.audit import record_event


def attach_files(session: Session, actor: User, entry: ProgressEntry, files: list[CheckedFile],
                 upload_dir: Path) -> list[Attachment]:
    """Write checked files to ``upload_dir`` and record them on ``entry`` (caller commits)."""
    upload_dir.mkdir(parents=True, exist_ok=True)
    attachments = []
    for checked in files:
        stored = f"{secrets.token_hex(16)}.{checked.kind}"
        (upload_dir / stored).write_bytes(checked.data)
        attachment = Attachment(
            entry_id=entry.id, original_name=checked.name, stored_name=stored,
            content_type=checked.content_type, size=len(checked.data),
            sha256=hashlib.sha256(checked.data).hexdigest(), uploaded_by_id=actor.id,
        )
        session.add(attachment)
        attachments.append(attachment)
    session.flush()
    for attachment in attachments:
        record_event(session, "evidence.upload", actor=actor, object_type="attachment",
                     object_id=attachment.id, after={"entry": entry.id, "name": attachment.original_name,
                                                     "sha256": attachment.sha256, "size": attachment.size})
    return attachments


def readable_attachment(session: Session, actor: User, attachment_id: int) -> Attachment | None:
    """Return the attachment if ``actor`` may read it (same commune, or its province), else None."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        return None
    item = attachment.entry.target or attachment.entry.task
    commune = item.plan.commune
    return attachment if can_view(actor_of(actor), commune.id, commune.province_id) else None

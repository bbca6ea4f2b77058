"""Storing evidence files beside an entry, outside ``static/``, under random names.

A file is committed with its row or not at all: ``attach_files`` writes it under a temporary name
(``<name>.part``) and registers it on the session; when the session commits, the file is renamed
to its final name (an atomic rename in the same directory), and when the transaction ends any
other way (a refusal, a failed commit, a closed session) the temporary file is deleted. What a
killed process leaves behind (a temporary file, or one whose row never came) is removed by the
nightly ``evidence_sweep`` job (``sweep_evidence``), which also finishes a rename that a process
died before making.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from tracker.domain.entries import EntryInput
from tracker.domain.evidence import EXTENSIONS, CheckedFile
from tracker.domain.permissions import can_view
from tracker.models import Attachment, PlanItem, ProgressEntry, SignedReport, User
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.progress import log_progress

TEMP_SUFFIX = ".part"
# The names this module gives files; the sweep never touches anything else in the directory.
_KINDS = "|".join(sorted(set(EXTENSIONS.values())))
STORED_NAME = re.compile(rf"[0-9a-f]{{32}}\.(?:{_KINDS})")
_PENDING = "tracker.evidence.pending"  # key in Session.info: [(temporary path, final path)]
ORPHAN_AGE = timedelta(days=1)
log = logging.getLogger(__name__)


def log_with_evidence(session: Session, actor: User, item: PlanItem, entry: EntryInput, *, today: date,
                      upload_dir: Path, supersedes: ProgressEntry | None = None,
                      files: list[CheckedFile] | None = None, keep_evidence: bool = True,
                      remote_addr: str | None = None) -> ProgressEntry:
    """Log an entry, or a correction, with its evidence (the web form and the API).

    A correction carries the files of the entry it corrects unless ``keep_evidence`` is False (issue
    14: a correction used to drop them); ``files`` are attached on top.
    """
    logged = log_progress(session, actor, item, entry, today=today, supersedes=supersedes,
                          remote_addr=remote_addr)
    if supersedes is not None and keep_evidence:
        carry_evidence(session, actor, supersedes, logged, upload_dir)
    if files:
        attach_files(session, actor, logged, files, upload_dir)
    return logged


def attach_files(session: Session, actor: User, entry: ProgressEntry, files: list[CheckedFile],
                 upload_dir: Path) -> list[Attachment]:
    """Write checked files to ``upload_dir`` and record them on ``entry`` (caller commits).

    The files get their final names only when the session commits (see the module's docstring).
    """
    attachments = []
    for checked in files:
        stored = stage_file(session, upload_dir, checked.data, checked.kind)
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


def stage_file(session: Session, directory: Path, data: bytes, kind: str) -> str:
    """Write ``data`` under a new random name in ``directory``, to be kept only if the session
    commits (see the module's docstring); return the stored name (``<32 hex>.<kind>``)."""
    directory.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{kind}"
    temporary = directory / f"{stored}{TEMP_SUFFIX}"
    session.info.setdefault(_PENDING, []).append((temporary, directory / stored))
    temporary.write_bytes(data)
    return stored


def carry_evidence(session: Session, actor: User, old: ProgressEntry, new: ProgressEntry,
                   upload_dir: Path) -> list[Attachment]:
    """Give a correction (``new``) a copy of each evidence file of the entry it corrects (``old``).

    A correction changes figures, not the evidence behind them, so the files come along unless the
    user drops them (the caller does not call this then). Each copy is a file of its own (a stored
    name names one file), committed with the correction or not at all, as ``attach_files`` does.
    """
    pending = session.info.setdefault(_PENDING, [])
    copies = []
    for original in old.attachments:
        source = evidence_path(upload_dir, original.stored_name)
        if not source.exists():
            log.warning("evidence file %s of entry %s is missing; not carried", original.stored_name, old.id)
            continue
        kind = original.stored_name.rsplit(".", 1)[-1]
        stored = f"{secrets.token_hex(16)}.{kind}"
        temporary = upload_dir / f"{stored}{TEMP_SUFFIX}"
        pending.append((temporary, upload_dir / stored))
        shutil.copyfile(source, temporary)
        copy = Attachment(entry_id=new.id, original_name=original.original_name, stored_name=stored,
                          content_type=original.content_type, size=original.size, sha256=original.sha256,
                          uploaded_by_id=original.uploaded_by_id)
        session.add(copy)
        copies.append((original, copy))
    session.flush()
    for original, copy in copies:
        record_event(session, "evidence.upload", actor=actor, object_type="attachment", object_id=copy.id,
                     after={"entry": new.id, "name": copy.original_name, "sha256": copy.sha256,
                            "size": copy.size, "carried_from": original.id})
    return [copy for _original, copy in copies]


@event.listens_for(Session, "after_commit")
def _move_committed_files(session: Session) -> None:
    """The rows are committed: give their files their final names."""
    for temporary, final in session.info.pop(_PENDING, []):
        os.replace(temporary, final)


@event.listens_for(Session, "after_transaction_end")
def _drop_uncommitted_files(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit (after a commit the list is gone already)."""
    if transaction.parent is None:
        for temporary, _final in session.info.pop(_PENDING, []):
            temporary.unlink(missing_ok=True)


def evidence_path(upload_dir: Path, stored_name: str) -> Path:
    """Return where an attachment's file is, finishing a rename its process died before making."""
    final = upload_dir / stored_name
    temporary = upload_dir / f"{stored_name}{TEMP_SUFFIX}"
    if not final.exists() and temporary.exists():
        os.replace(temporary, final)
    return final


def sweep_evidence(session: Session, upload_dir: Path, now: datetime) -> dict[str, int]:
    """Remove files older than a day that no attachment (or, in ``signed/``, no signed report) names;
    finish renames of committed rows.

    Only names this module gives are considered, so a mistaken ``UPLOAD_DIR`` loses nothing else.
    A fresh file may belong to a transaction still in progress, so it is always kept.
    """
    summary = _sweep(session, upload_dir, Attachment.stored_name, now)
    for key, count in _sweep(session, signed_dir(upload_dir), SignedReport.stored_name, now).items():
        summary[key] += count
    return summary


def signed_dir(upload_dir: Path) -> Path:
    """The folder of the signed report PDFs (``services.signing``), beside the evidence files."""
    return upload_dir / "signed"


def _sweep(session: Session, upload_dir: Path, column, now: datetime) -> dict[str, int]:
    summary = {"removed": 0, "completed": 0, "kept": 0}
    if not upload_dir.is_dir():
        return summary
    cutoff = (now - ORPHAN_AGE).timestamp()
    candidates: dict[str, list[Path]] = {}
    for path in upload_dir.iterdir():
        stored = path.name.removesuffix(TEMP_SUFFIX)
        if STORED_NAME.fullmatch(stored) and path.is_file():
            candidates.setdefault(stored, []).append(path)
    named: set[str] = set()
    names = sorted(candidates)
    for start in range(0, len(names), 500):  # bounded IN lists
        named.update(session.scalars(select(column).where(column.in_(names[start:start + 500]))))
    for stored, paths in candidates.items():
        for path in paths:
            temporary = path.name.endswith(TEMP_SUFFIX)
            if stored in named and temporary and not (upload_dir / stored).exists():
                os.replace(path, upload_dir / stored)
                summary["completed"] += 1
            elif (stored not in named or temporary) and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                summary["removed"] += 1
            else:
                summary["kept"] += 1
    return summary


def readable_attachment(session: Session, actor: User, attachment_id: int) -> Attachment | None:
    """Return the attachment if ``actor`` may read it (same commune, or its province), else None."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        return None
    item = attachment.entry.item
    commune = item.plan.commune
    return attachment if can_view(actor_of(actor), commune.id, commune.province_id) else None

"""Evidence files: checked by content, stored under random names, downloaded only when signed in."""

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.conftest import LOGGED, PASSWORD
from tracker.domain.evidence import check_file, check_files, safe_name, sniff
from tracker.models import Attachment, ProgressEntry

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office(kind: str, extra_bytes: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        if extra_bytes:
            archive.writestr("padding.bin", b"\x00" * extra_bytes)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "kind"), [
    (PDF, "pdf"), (PNG, "png"), (b"\xff\xd8\xff\xe0rest", "jpg"), (office("docx"), "docx"),
    (office("xlsx"), "xlsx"), (b"MZ\x90\x00", None), (b"PK\x03\x04broken", None),
    (b"<html><script>alert(1)</script>", None),
])
def test_sniff_by_content(data, kind):
    assert sniff(data) == kind


def test_zip_bombs_are_refused():
    assert sniff(office("docx", extra_bytes=101 * 1024 * 1024)) is None


@pytest.mark.parametrize(("name", "data", "message"), [
    ("bao-cao.pdf", b"MZ\x90\x00", "không phải loại được nhận"),
    ("bao-cao.pdf", PNG, "có đuôi .pdf nhưng nội dung là PNG"),
    ("bang.docx", office("xlsx"), "nội dung là XLSX"),
    ("rong.pdf", b"", "rỗng"),
    ("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "lớn hơn 10 MB"),
    ("script.html", b"<html>", "không phải loại được nhận"),
])
def test_check_file_refusals(name, data, message):
    checked, error = check_file(name, data)
    assert checked is None
    assert message in error


def test_names_are_sanitised():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\a\\Quyết định.pdf") == "Quyết định.pdf"
    assert safe_name('a<b>c:"d|e?.pdf') == "abcde.pdf"
    assert safe_name("") == "tep"
    assert len(safe_name("x" * 300 + ".pdf")) <= 120
    assert safe_name("x" * 300 + ".pdf").endswith(".pdf")


def test_at_most_three_files():
    _, error = check_files([(f"{i}.pdf", PDF) for i in range(4)])
    assert "tối đa 3 tệp" in error


def counts(db):
    return (db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED)),
            db.session.scalar(select(func.count()).select_from(Attachment)))


def stored_files(app) -> set[Path]:
    return set(Path(app.config["UPLOAD_DIR"]).glob("*"))


def sign_in(client, make_user, username="head", role="unit_head", unit="TTHCC"):
    make_user(username, role, unit)
    client.post("/login", data={"username": username, "password": PASSWORD})


def test_upload_with_an_entry_and_download(app, client, make_user, db):
    sign_in(client, make_user)
    answer = client.post("/items/MT02/entries", content_type="multipart/form-data", data={
        "as_of": "2025-10-01", "value": "74", "doc_number": "119/QĐ-UBND",
        "files": [(io.BytesIO(PDF), "Quyết định 119.pdf"), (io.BytesIO(office("xlsx")), "số liệu.xlsx")]})
    assert answer.status_code == 302
    assert counts(db) == (1, 2)
    attachment = db.session.scalar(select(Attachment).where(Attachment.content_type == "application/pdf"))
    stored = Path(app.config["UPLOAD_DIR"]) / attachment.stored_name
    assert stored.read_bytes() == PDF
    assert "Quyết định" not in attachment.stored_name
    assert "Quyết định 119.pdf" in client.get("/items/MT02").text
    download = client.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "application/pdf"
    download.close()
    assert app.test_client().get(f"/attachments/{attachment.id}").status_code == 302
    assert client.get("/attachments/99999").status_code == 404


def test_a_bad_file_refuses_the_whole_entry(app, client, make_user, db):
    sign_in(client, make_user)
    before = stored_files(app)
    answer = client.post("/items/MT02/entries", content_type="multipart/form-data", data={
        "as_of": "2025-10-01", "value": "74",
        "files": [(io.BytesIO(PDF), "ok.pdf"), (io.BytesIO(b"MZ\x90\x00"), "virus.pdf")]})
    assert answer.status_code == 422
    assert "virus.pdf" in answer.text
    assert counts(db) == (0, 0)
    assert stored_files(app) == before


def test_a_too_large_body_is_refused_before_it_is_read(app, client, make_user, db):
    sign_in(client, make_user)
    huge = io.BytesIO(b"%PDF-" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    # Encode the body ourselves: the test client would spool it to a temporary file it never closes.
    boundary, body = encode_multipart(MultiDict([("as_of", "2025-10-01"), ("value", "74"),
                                                 ("files", FileStorage(huge, "lon.pdf"))]))
    answer = client.post("/items/MT02/entries", data=body,
                         content_type=f"multipart/form-data; boundary={boundary}")
    assert answer.status_code == 413
    assert "Tệp gửi lên quá lớn" in answer.text
    assert counts(db) == (0, 0)


# --- a file is committed with its row or not at all (issue 12, finding 9) -------------------------

def _log_with_file(db, make_user, item, upload_dir: Path, data: bytes = PDF):
    from datetime import date

    from tracker.domain.entries import EntryInput
    from tracker.services.evidence import attach_files
    from tracker.services.progress import log_progress

    head = make_user("head", "unit_head", "TTHCC")
    entry = log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 10, 1), value=74),
                         today=date(2025, 11, 1))
    [checked], _ = check_files([("bien-ban.pdf", data)])
    [attachment] = attach_files(db.session, head, entry, [checked], upload_dir)
    return attachment


def test_a_failed_commit_leaves_no_file(db, make_user, item, tmp_path):
    """The file was written before the commit: a failed commit left a file that no row names."""
    from sqlalchemy.exc import IntegrityError

    from tracker.models import User

    _log_with_file(db, make_user, item, tmp_path)
    assert len(list(tmp_path.iterdir())) == 1, "written, under its temporary name"
    db.session.add(User(username="head", full_name="Trùng tên", password_hash="x", role="leader",
                        commune_id=item("MT02").plan.commune_id))  # a unique name twice: the commit fails
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert list(tmp_path.iterdir()) == [], "the rolled-back upload left no file"
    assert counts(db) == (0, 0)


def test_an_upload_never_committed_leaves_no_file(db, make_user, item, tmp_path):
    _log_with_file(db, make_user, item, tmp_path)
    db.session.remove()  # the request ends without a commit (closing the session rolls back)
    assert list(tmp_path.iterdir()) == []


def test_a_committed_upload_has_its_final_name_only(db, make_user, item, tmp_path):
    attachment = _log_with_file(db, make_user, item, tmp_path)
    db.session.commit()
    assert [p.name for p in tmp_path.iterdir()] == [attachment.stored_name]
    assert (tmp_path / attachment.stored_name).read_bytes() == PDF


def _aged(path: Path, data: bytes, days: float) -> Path:
    import os
    import time

    path.write_bytes(data)
    moment = time.time() - days * 86400
    os.utime(path, (moment, moment))
    return path


def test_the_nightly_sweep_removes_day_old_orphans_and_keeps_the_rest(db, data_app, make_user, item, tmp_path,
                                                                      monkeypatch):
    from datetime import UTC, datetime

    from tracker.jobs.runner import run_job
    from tracker.services.evidence import TEMP_SUFFIX

    monkeypatch.setitem(data_app.config, "UPLOAD_DIR", str(tmp_path))
    referenced = _log_with_file(db, make_user, item, tmp_path)
    db.session.commit()
    _aged(tmp_path / referenced.stored_name, PDF, 3)
    # A process killed between its commit and the rename: the row names a file still under its
    # temporary name.
    unrenamed = db.session.scalar(select(Attachment).where(Attachment.id == referenced.id))
    moved = "a" * 32 + ".pdf"
    db.session.add(Attachment(entry_id=unrenamed.entry_id, original_name="x.pdf", stored_name=moved,
                              content_type="application/pdf", size=len(PDF), sha256="0" * 64,
                              uploaded_by_id=unrenamed.uploaded_by_id))
    db.session.commit()
    _aged(tmp_path / f"{moved}{TEMP_SUFFIX}", PDF, 3)
    old_orphan = _aged(tmp_path / ("b" * 32 + ".pdf"), PDF, 2)
    old_temporary = _aged(tmp_path / ("c" * 32 + f".png{TEMP_SUFFIX}"), PNG, 2)
    fresh_orphan = _aged(tmp_path / ("d" * 32 + ".pdf"), PDF, 0.5)  # may be a commit in progress
    fresh_temporary = _aged(tmp_path / ("e" * 32 + f".pdf{TEMP_SUFFIX}"), PDF, 0.1)
    not_ours = _aged(tmp_path / "README.txt", b"not an upload", 30)

    run = run_job("evidence_sweep", datetime.now(UTC))
    assert run.outcome == "ok", run.error
    assert run.summary == {"removed": 2, "completed": 1, "kept": 3}
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {referenced.stored_name, moved, fresh_orphan.name, fresh_temporary.name, not_ours.name}
    assert not old_orphan.exists()
    assert not old_temporary.exists()
    assert (tmp_path / moved).read_bytes() == PDF


def test_a_download_finishes_a_rename_that_a_killed_process_did_not_make(app, client, make_user, db):
    from tracker.services.evidence import TEMP_SUFFIX

    sign_in(client, make_user)
    client.post("/items/MT02/entries", content_type="multipart/form-data", data={
        "as_of": "2025-10-01", "value": "74", "files": [(io.BytesIO(PDF), "bien-ban.pdf")]})
    attachment = db.session.scalar(select(Attachment))
    final = Path(app.config["UPLOAD_DIR"]) / attachment.stored_name
    final.rename(final.with_name(final.name + TEMP_SUFFIX))  # as if killed after the commit
    download = client.get(f"/attachments/{attachment.id}")
    data = download.data
    download.close()
    assert download.status_code == 200
    assert data == PDF
    assert final.exists()


def test_a_correction_keeps_the_evidence_unless_dropped(app, client, make_user, db):
    sign_in(client, make_user)
    client.post("/items/MT02/entries", content_type="multipart/form-data", data={
        "as_of": "2025-10-01", "value": "74", "files": [(io.BytesIO(PDF), "biên bản.pdf")]})
    first = db.session.scalar(select(ProgressEntry).where(LOGGED))
    form = client.get(f"/items/MT02?correct={first.id}").text
    assert "biên bản.pdf" in form.split('id="entry-form"', 1)[1].split("</form>", 1)[0]
    # A refused correction copies nothing.
    files_before = set(Path(app.config["UPLOAD_DIR"]).iterdir())
    refused = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "75",
                                                      "supersedes": str(first.id)})
    assert refused.status_code == 422, "a correction needs a reason"
    assert counts(db) == (1, 1)
    assert set(Path(app.config["UPLOAD_DIR"]).iterdir()) == files_before
    answer = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "75",
                                                     "supersedes": str(first.id), "reason": "Nhập nhầm"})
    assert answer.status_code == 302
    second = db.session.scalar(select(ProgressEntry).where(ProgressEntry.supersedes_id == first.id))
    assert [a.original_name for a in second.attachments] == ["biên bản.pdf"]
    copy, original = second.attachments[0], first.attachments[0]
    assert copy.stored_name != original.stored_name
    assert copy.sha256 == original.sha256
    assert (Path(app.config["UPLOAD_DIR"]) / copy.stored_name).read_bytes() == PDF
    download = client.get(f"/attachments/{copy.id}")
    assert download.data == PDF
    download.close()
    # Told to drop it, the next correction has none (the earlier entries keep theirs).
    dropped = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "76",
                                                      "supersedes": str(second.id), "reason": "Sai biên bản",
                                                      "drop_evidence": "1"})
    assert dropped.status_code == 302
    third = db.session.scalar(select(ProgressEntry).where(ProgressEntry.supersedes_id == second.id))
    assert third.attachments == []
    assert counts(db) == (3, 2)

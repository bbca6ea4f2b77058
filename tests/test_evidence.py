"""Evidence files: checked by content, stored under random names, downloaded only when signed in."""

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.conftest import PASSWORD
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
    return (db.session.scalar(select(func.count()).select_from(ProgressEntry)),
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

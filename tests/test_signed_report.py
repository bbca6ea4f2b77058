"""Signed submissions (ký số), issue 15: the report PDF's empty signature field over the signer block,
and the signed file's check: accepted when signed as issued, refused when tampered with, extended
after signing, of another period, signed by an untrusted certificate, of a draft, or not a PDF.

Every certificate is made here: a throwaway root CA and a signer certificate with a Vietnamese name
(``cryptography``), the signing done by pyHanko's ``SimpleSigner`` as an agency's software would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tracker.models import AuditEvent, IssuedReport, SignedReport
from tracker.render.render_pdf import SIGNATURE_FIELD
from tracker.services.evidence import sweep_evidence
from tracker.services.periods import PeriodInput, create_period, reopen_period, submit_period
from tracker.services.signing import outside_event_loop
from tracker.services.users import create_user

SIGNER = "Nguyễn Văn An"
AGENCY = "UBND xã Ngọk Bay"


@dataclass(frozen=True)
class Authority:
    """A throwaway certificate authority and one signer certificate it issued."""

    root_pem: bytes
    signer: signers.SimpleSigner


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _usage(**granted) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{name: granted.get(name, False) for name in names})


def make_authority(ca_name: str, signer: str = SIGNER, organisation: str = AGENCY) -> Authority:
    """Make a root CA and a signing certificate (non-repudiation) for ``signer`` of ``organisation``."""
    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(ca_name, "Ban Cơ yếu Chính phủ (thử nghiệm)")
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(signer, organisation)).issuer_name(root_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(digital_signature=True, content_commitment=True), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                           critical=False)
            .sign(root_key, hashes.SHA256()))

    def asn1(certificate):
        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))

    private = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    simple = signers.SimpleSigner(signing_cert=asn1(cert), signing_key=private,
                                  cert_registry=SimpleCertificateStore.from_certs([asn1(root)]))
    return Authority(root.public_bytes(serialization.Encoding.PEM), simple)


@pytest.fixture(scope="module")
def agency_ca() -> Authority:
    return make_authority("CA chuyên dùng Chính phủ (thử nghiệm)")


@pytest.fixture(scope="module")
def stranger_ca() -> Authority:
    return make_authority("CA lạ không được cấu hình")


def sign(pdf: bytes, authority: Authority, field: str = SIGNATURE_FIELD) -> bytes:
    """Sign ``field`` of ``pdf`` in an incremental update, as the agency's signing software does."""
    signed = outside_event_loop(signers.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(pdf)),
                                signers.PdfSignatureMetadata(field_name=field), signer=authority.signer)
    return signed.getvalue()


def add_text(pdf: bytes, page: int = 0) -> bytes:
    """Append an incremental update that prints more text on ``page`` (the report changed)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 100 Td (999 ho so) Tj ET")
    writer.add_stream_to_page(page, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def setup(app, db, plan, secretary, tmp_path, monkeypatch, agency_ca):
    """The agency CA trusted, uploads under ``tmp_path``, the week's period submitted with its signer."""
    roots = tmp_path / "roots.pem"
    roots.write_bytes(agency_ca.root_pem)
    monkeypatch.setitem(app.config, "SIGNATURE_TRUST_ROOTS", [str(roots)])
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def open_period(db, plan, secretary, start: date, *, submitted: bool = True):
    period = create_period(db.session, secretary, plan.commune, PeriodInput(
        "week", start, start + dt.timedelta(days=6), report_number="15", signer_name=SIGNER,
        signer_title="CHỦ TỊCH"))
    if submitted:
        submit_period(db.session, secretary, period)
    db.session.commit()
    return period


@pytest.fixture
def period(db, plan, secretary, setup):
    return open_period(db, plan, secretary, date(2025, 10, 27))


@pytest.fixture
def signed_in(client, secretary):
    client.post("/login", data={"username": secretary.username, "password": PASSWORD})
    return client


def download_for_signing(client, period_id: int) -> bytes:
    answer = client.post(f"/reports/{period_id}/signing-copy")
    assert answer.status_code == 200, answer.text
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"].startswith("attachment")
    return answer.data


def upload(client, period_id: int, data: bytes, name: str = "bao-cao-da-ky.pdf"):
    return client.post(f"/reports/{period_id}/signed", content_type="multipart/form-data",
                       data={"signed_file": (io.BytesIO(data), name)})


def nothing_kept(db, uploads: Path) -> None:
    """A refusal saved nothing: no row, no file, no audit event of an upload."""
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SignedReport)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "report.signed_upload")) == 0
    signed_dir = uploads / "signed"
    assert not signed_dir.exists() or not any(signed_dir.iterdir())


def refused(answer, *words: str) -> None:
    assert answer.status_code == 422
    assert 'id="signed_file-error"' in answer.text
    for word in words:
        assert word in answer.text


# --- The signature field -------------------------------------------------------------------------


def _text_positions(page, needle: str) -> list[tuple[float, float]]:
    """Where text containing ``needle`` is drawn on ``page`` (PDF points, from the bottom left)."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if needle in text:
            a, b, c, d, e, f = cm
            x, y = tm[4], tm[5]
            found.append((a * x + c * y + e, b * x + d * y + f))

    page.extract_text(visitor_text=visit)
    return found


def signature_fields(pdf: bytes) -> list[tuple[int, dict]]:
    reader = PdfReader(io.BytesIO(pdf))
    fields = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Sig":
                fields.append((index, annotation))
    return fields


def test_the_report_pdf_has_an_empty_signature_field_over_the_signer_name(period, signed_in):
    """The field is unsigned, on the page of the signer block (the body's last page: the appendix
    follows on pages of its own), and its rectangle covers the signer's printed name."""
    pdf = signed_in.get(f"/reports/{period.id}/report.pdf").data
    reader = PdfReader(io.BytesIO(pdf))
    fields = signature_fields(pdf)
    assert len(fields) == 1
    index, field = fields[0]
    assert field["/T"] == SIGNATURE_FIELD
    assert "/V" not in field  # empty: nothing signed yet
    page = reader.pages[index]
    text = page.extract_text()
    assert SIGNER in text
    assert "CHỦ TỊCH" in text
    assert "Nơi nhận" in text
    after = "".join(p.extract_text() for p in reader.pages[index + 1:])
    assert after.lstrip().startswith("Phụ lục")
    assert SIGNER not in after
    left, bottom, right, top = (float(v) for v in field["/Rect"])
    names = _text_positions(page, "Nguy")
    assert names, "the signer's name is drawn on the field's page"
    assert any(left <= x <= right and bottom <= y <= top for x, y in names)
    titles = _text_positions(page, "CHỦ TỊCH")
    assert any(left <= x <= right and bottom <= y <= top for x, y in titles)


def test_a_report_without_appendix_has_the_field_on_its_last_page():
    """The renderer alone: the sample report (no appendix) gets its field on the last page."""
    from tests.test_render import build_sample_report
    from tracker.render.render_pdf import render_pdf

    pdf = render_pdf(build_sample_report())
    fields = signature_fields(pdf)
    assert [index for index, _field in fields] == [len(PdfReader(io.BytesIO(pdf)).pages) - 1]


def test_the_summary_has_no_signature_field(signed_in, setup):
    """A document without a signer block (the one-page summary) gets no field."""
    pdf = signed_in.get("/summary?as_of=2025-11-03&format=pdf").data
    assert signature_fields(pdf) == []


# --- The round trip --------------------------------------------------------------------------------


def test_pyhanko_runs_where_an_event_loop_runs():
    """pyHanko's synchronous calls run ``asyncio.run``: in a thread whose event loop runs (an async
    worker, or the tests after Playwright's) the upload failed with a RuntimeError. The check runs
    through ``outside_event_loop``; here a thread of its own runs a loop and calls through it."""
    import asyncio
    import threading

    def synchronous_call():  # as pyHanko's ``sign_pdf`` and ``validate_pdf_signature`` are made
        return asyncio.run(asyncio.sleep(0, result="ran"))

    async def in_a_running_loop():
        return outside_event_loop(synchronous_call)

    found = {}
    thread = threading.Thread(target=lambda: found.update(result=asyncio.run(in_a_running_loop())))
    thread.start()
    thread.join(30)
    assert found == {"result": "ran"}


def test_signed_round_trip(app, db, plan, make_user, period, signed_in, setup, agency_ca):
    """Download for signing → sign the field → upload → accepted; the page names signer and time."""
    issued = download_for_signing(signed_in, period.id)
    assert db.session.scalar(select(IssuedReport.sha256)) == hashlib.sha256(issued).hexdigest()
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    signed = sign(issued, agency_ca)
    answer = upload(signed_in, period.id, signed)
    assert answer.status_code == 302, answer.text
    page = signed_in.get(f"/reports/{period.id}")
    assert "Đã ký số bởi" in page.text
    assert SIGNER in page.text
    assert AGENCY in page.text
    row = db.session.scalar(select(SignedReport))
    assert (row.signer_name, row.signer_organisation) == (SIGNER, AGENCY)
    signed_at = row.signed_at if row.signed_at.tzinfo else row.signed_at.replace(tzinfo=dt.UTC)
    assert abs((signed_at - before).total_seconds()) < 120
    local = signed_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert local.strftime("%H:%M %d/%m/%Y") in page.text
    assert row.validation["signatures"][0]["field"] == SIGNATURE_FIELD
    assert row.validation["signatures"][0]["trusted"] is True
    assert (setup / "signed" / row.stored_name).read_bytes() == signed
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.signed_upload"))
    assert event.after["signer"] == SIGNER
    assert event.after["sha256"] == hashlib.sha256(signed).hexdigest()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "report.issue_for_signing")) == 1
    download = signed_in.get(f"/reports/signed/{row.id}")
    assert download.status_code == 200
    assert download.data == signed
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()
    # The activity log says who brought in whose signature.
    make_user("quantri", "admin")
    reader = app.test_client()
    reader.post("/login", data={"username": "quantri", "password": PASSWORD})
    log = reader.get("/admin/audit").text
    assert f"đã được {SIGNER} ký số" in log
    assert "để ký số" in log
    # The province reads the signed copy too.
    create_user(db.session, province=plan.commune.province, username="tinh", password=PASSWORD,
                role="leader", hash_method=app.config["PASSWORD_HASH_METHOD"],
                min_length=app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    province = app.test_client()
    province.post("/login", data={"username": "tinh", "password": PASSWORD})
    from_province = province.get(f"/reports/signed/{row.id}")
    assert from_province.status_code == 200
    assert from_province.data == signed
    from_province.close()
    # The nightly sweep keeps a committed signed file.
    sweep_evidence(db.session, setup, dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    assert (setup / "signed" / row.stored_name).exists()


def test_the_sweep_removes_an_orphan_signed_file(db, setup):
    orphan = setup / "signed" / ("a" * 32 + ".pdf")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.7 orphan")
    old = time.time() - 3 * 86400
    os.utime(orphan, (old, old))
    assert sweep_evidence(db.session, setup, dt.datetime.now(dt.UTC))["removed"] == 1
    assert not orphan.exists()


# --- Refusals, each saving nothing -----------------------------------------------------------------


def test_bytes_altered_after_signing_are_refused(db, period, signed_in, setup, agency_ca):
    signed = bytearray(sign(download_for_signing(signed_in, period.id), agency_ca))
    at = signed.index(b"stream", len(signed) // 4) + 40  # inside a page's compressed content
    signed[at] ^= 0x55
    refused(upload(signed_in, period.id, bytes(signed)), "đã bị thay đổi sau khi ký",
            "không còn khớp với chữ ký số")
    nothing_kept(db, setup)


def test_an_incremental_update_after_signing_is_refused(db, period, signed_in, setup, agency_ca):
    signed = sign(download_for_signing(signed_in, period.id), agency_ca)
    refused(upload(signed_in, period.id, add_text(signed)), "đã bị thay đổi sau khi ký",
            "thêm nội dung sau chữ ký")
    nothing_kept(db, setup)


def test_an_annotation_added_after_signing_is_refused(db, period, signed_in, setup, agency_ca):
    signed = sign(download_for_signing(signed_in, period.id), agency_ca)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.find_page_for_modification(0)[0]
    note = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (50, 50, 80, 80)]),
        generic.NameObject("/Contents"): generic.TextStringObject("Số liệu đã sửa")}))
    page = page_ref.get_object()
    page[generic.NameObject("/Annots")] = generic.ArrayObject([note])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    refused(upload(signed_in, period.id, out.getvalue()), "đã bị thay đổi sau khi ký")
    nothing_kept(db, setup)


def test_content_changed_before_signing_is_refused(db, period, signed_in, setup, agency_ca):
    """The issued copy doctored (text added to a page), then signed: the signature is good, the
    report is not the one issued."""
    doctored = sign(add_text(download_for_signing(signed_in, period.id)), agency_ca)
    refused(upload(signed_in, period.id, doctored), "đã bị thay đổi giữa lúc tải về và lúc ký")
    nothing_kept(db, setup)


def test_a_signed_report_of_another_period_is_refused(db, plan, secretary, period, signed_in, setup,
                                                      agency_ca):
    other = open_period(db, plan, secretary, date(2025, 11, 3))
    signed_other = sign(download_for_signing(signed_in, other.id), agency_ca)
    refused(upload(signed_in, period.id, signed_other), "không phải báo cáo của kỳ này")
    nothing_kept(db, setup)


def test_a_signed_copy_of_an_earlier_submission_is_refused(db, secretary, period, signed_in, setup,
                                                           agency_ca):
    """Reopened and submitted again: the copy signed before no longer stands for the period."""
    signed = sign(download_for_signing(signed_in, period.id), agency_ca)
    reopen_period(db.session, secretary, period, "Sửa số liệu hồ sơ trực tuyến")
    submit_period(db.session, secretary, period)
    db.session.commit()
    refused(upload(signed_in, period.id, signed), "không phải báo cáo của kỳ này")
    nothing_kept(db, setup)


def test_a_certificate_of_an_untrusted_authority_is_reported(db, period, signed_in, setup, stranger_ca):
    signed = sign(download_for_signing(signed_in, period.id), stranger_ca)
    refused(upload(signed_in, period.id, signed),
            "hợp lệ về mặt toàn vẹn nhưng chứng thư không thuộc tổ chức được tin cậy", SIGNER)
    nothing_kept(db, setup)


def test_no_configured_roots_trusts_nobody(app, db, period, signed_in, setup, agency_ca, monkeypatch):
    """The operating system's CA list is never used: without configured roots no signature counts."""
    monkeypatch.setitem(app.config, "SIGNATURE_TRUST_ROOTS", [])
    signed = sign(download_for_signing(signed_in, period.id), agency_ca)
    refused(upload(signed_in, period.id, signed), "không thuộc tổ chức được tin cậy")
    nothing_kept(db, setup)


def test_a_draft_cannot_be_signed(db, plan, secretary, signed_in, setup, agency_ca):
    draft = open_period(db, plan, secretary, date(2025, 11, 10), submitted=False)
    page = signed_in.get(f"/reports/{draft.id}")
    assert "Bản nháp chưa thể ký số" in page.text
    assert f"/reports/{draft.id}/signed" not in page.text
    refused(signed_in.post(f"/reports/{draft.id}/signing-copy"), "Bản nháp chưa thể ký số")
    assert db.session.scalar(select(func.count()).select_from(IssuedReport)) == 0
    unsigned = signed_in.get(f"/reports/{draft.id}/report.pdf").data
    refused(upload(signed_in, draft.id, sign(unsigned, agency_ca)), "Bản nháp chưa thể ký số")
    nothing_kept(db, setup)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("bao-cao.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, ("nội dung là PNG",)),
    ("bao-cao.docx", b"PK\x03\x04 not really", ("không phải loại được nhận",)),
    ("bao-cao.pdf", b"", ("rỗng",)),
])
def test_a_file_that_is_not_a_pdf_is_refused(db, period, signed_in, setup, name, data, words):
    refused(upload(signed_in, period.id, data, name), *words)
    nothing_kept(db, setup)


def test_an_unsigned_pdf_is_refused(db, period, signed_in, setup):
    refused(upload(signed_in, period.id, download_for_signing(signed_in, period.id)), "chưa có chữ ký số")
    nothing_kept(db, setup)


def test_a_broken_pdf_is_refused(db, period, signed_in, setup):
    refused(upload(signed_in, period.id, b"%PDF-1.7\n" + b"garbage " * 100), "không đọc được")
    nothing_kept(db, setup)


def test_a_unit_head_may_not_sign(client, make_user, period, setup):
    make_user("head", "unit_head", "TTHCC")
    client.post("/login", data={"username": "head", "password": PASSWORD})
    assert client.post(f"/reports/{period.id}/signing-copy").status_code == 403
    assert upload(client, period.id, b"%PDF-1.7").status_code == 403

"""Signed submissions (ký số): issuing a submitted period's report PDF to be signed, and receiving
the file the commune signed with its agency certificate.

What is accepted (``check_signed_pdf``, pyHanko doing the PDF and CMS work):

1. The file is a PDF that pyHanko can read and that carries at least one signature.
2. Every signature is intact (the digest over its byte range is the one signed) and valid (the
   CMS signature checks out): altered bytes anywhere in a signed range fail here.
3. The last signature covers the entire file, and every signature's later revisions are at most
   form filling (another signature): an incremental update added after signing (a page, an
   annotation, changed text) is refused.
4. The file begins with the exact bytes of a copy this app issued for this period at its current
   version (``IssuedReport``: SHA-256 and length, recorded when the copy was downloaded to be
   signed), and pyHanko's difference analysis from that issued revision to the end finds nothing
   but the filling of signature fields. So a signed report of another period, of an earlier
   submission, or a PDF whose content was changed before it was signed is refused. Comparing the
   issued revision (rather than regenerating the report) keeps the check exact: WeasyPrint's output
   need not be byte-reproducible, and the plan's lights can change after the period's end.
5. The signer's certificate chains to one of the roots the administrator configured
   (``SIGNATURE_TRUST_ROOTS``), never to the operating system's list (a web-server CA says nothing
   about an agency), and is within its validity at the time of the check; revocation is checked
   from what the file carries, without fetching (``soft-fail``: the server has no outside network).
   A signature that passes 1–4 but not 5 is reported as intact but untrusted, with the signer's
   name, and not stored: a signed submission must be one the province can rely on.

The file is stored with the evidence files' pattern (``services.evidence.stage_file``: kept only if
the request commits) in ``UPLOAD_DIR/signed``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.domain.evidence import check_file
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import can_sign_report, can_view
from tracker.models import IssuedReport, ReportingPeriod, SignedReport, User
from tracker.render.render_pdf import SIGNATURE_FIELD
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.errors import EntryRefused, NotAllowed
from tracker.services.evidence import evidence_path, signed_dir, stage_file

log = logging.getLogger(__name__)
T = TypeVar("T")


def outside_event_loop(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``call`` (a synchronous pyHanko function, which runs ``asyncio.run`` inside) where no event
    loop is running: directly in a plain thread, else in a thread of its own. A thread with a running
    loop (an async server's worker, or one driven by Playwright's synchronous API) would make
    ``asyncio.run`` raise."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call, *args, **kwargs).result()


class SignatureRefused(EntryRefused):
    """An uploaded signed report that was not accepted; ``errors["signed_file"]`` says why."""

    def __init__(self, message: str):
        super().__init__({"signed_file": message})


@dataclass(frozen=True)
class SignatureFinding:
    """One signature of a checked file, as stored in ``SignedReport.validation``."""

    field: str
    signer_name: str
    signer_organisation: str | None
    issuer: str
    serial: str
    signed_at: datetime | None
    coverage: str
    modification: str
    trusted: bool

    def as_json(self) -> dict:
        """The finding as JSON-ready values."""
        return {"field": self.field, "signer": self.signer_name, "organisation": self.signer_organisation,
                "issuer": self.issuer, "serial": self.serial,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None,
                "coverage": self.coverage, "modification": self.modification, "trusted": self.trusted}


@dataclass(frozen=True)
class CheckedSignature:
    """A signed file that passed every check: the issued copy it starts with, and its signatures
    (``main`` is the one in the report's signature field, or the first when that field is empty)."""

    issued: IssuedReport
    signatures: tuple[SignatureFinding, ...]
    main: SignatureFinding


def _require_signer(actor: User, period: ReportingPeriod) -> None:
    if not can_sign_report(actor_of(actor), period.commune_id):
        raise NotAllowed(f"{actor.username} may not sign the reports of commune {period.commune_id}")


def _require_submitted(period: ReportingPeriod) -> None:
    if not period.is_submitted:
        raise SignatureRefused(_("The report is still a draft: a draft cannot be signed. Submit the report "
                                 "first, then download it for signing."))


def require_signable(actor: User, period: ReportingPeriod) -> None:
    """Refuse unless ``actor`` may take ``period``'s report to be signed and the period is submitted."""
    _require_signer(actor, period)
    _require_submitted(period)


def issue_for_signing(session: Session, actor: User, period: ReportingPeriod, pdf: bytes) -> IssuedReport:
    """Record that ``pdf`` (the period's report with its empty signature field) was given out to be
    signed, so the signed file can be matched to it (caller commits)."""
    require_signable(actor, period)
    issued = IssuedReport(period_id=period.id, period_version=period.version,
                          sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), issued_by_id=actor.id)
    session.add(issued)
    session.flush()
    record_event(session, "report.issue_for_signing", actor=actor, object_type="period", object_id=period.id,
                 after={"issued": issued.id, "version": period.version, "sha256": issued.sha256,
                        "size": issued.size})
    return issued


def receive_signed_report(session: Session, actor: User, period: ReportingPeriod, name: str, data: bytes, *,
                          upload_dir: Path, trust_roots: list) -> SignedReport:
    """Check a signed report PDF (``check_signed_pdf``) and keep it; ``SignatureRefused`` saves
    nothing (caller commits)."""
    require_signable(actor, period)
    checked_file, problem = check_file(name, data)
    if problem:
        raise SignatureRefused(problem)
    if checked_file.kind != "pdf":
        raise SignatureRefused(_("The signed report must be a PDF file (the report downloaded for signing, "
                                 "signed)."))
    issued = list(session.scalars(select(IssuedReport).where(
        IssuedReport.period_id == period.id, IssuedReport.period_version == period.version)))
    checked = outside_event_loop(check_signed_pdf, data, issued, trust_roots)
    stored = stage_file(session, signed_dir(upload_dir), data, "pdf")
    main = checked.main
    signed = SignedReport(
        period_id=period.id, period_version=period.version, issued_id=checked.issued.id,
        original_name=checked_file.name, stored_name=stored, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), signer_name=main.signer_name[:255],
        signer_organisation=(main.signer_organisation or None) and main.signer_organisation[:255],
        signed_at=main.signed_at, uploaded_by_id=actor.id,
        validation={"issued": checked.issued.id, "signatures": [s.as_json() for s in checked.signatures]})
    session.add(signed)
    session.flush()
    record_event(session, "report.signed_upload", actor=actor, object_type="period", object_id=period.id,
                 after={"signed_report": signed.id, "name": signed.original_name, "sha256": signed.sha256,
                        "signer": signed.signer_name, "organisation": signed.signer_organisation,
                        "signed_at": main.signed_at.isoformat() if main.signed_at else None})
    return signed


def current_signed_report(session: Session, period: ReportingPeriod) -> SignedReport | None:
    """The latest signed copy of the period as it stands (a copy of an earlier submission is not)."""
    return session.scalars(select(SignedReport).options(joinedload(SignedReport.uploaded_by)).where(
        SignedReport.period_id == period.id, SignedReport.period_version == period.version)
        .order_by(SignedReport.id.desc()).limit(1)).first()


def readable_signed_report(session: Session, actor: User, signed_id: int) -> SignedReport | None:
    """The signed report if ``actor`` may read it (its commune, or the commune's province), else None."""
    signed = session.get(SignedReport, signed_id)
    if signed is None:
        return None
    commune = signed.period.commune
    return signed if can_view(actor_of(actor), commune.id, commune.province_id) else None


def signed_report_path(upload_dir: Path, signed: SignedReport) -> Path:
    """Where a signed report's file is."""
    return evidence_path(signed_dir(upload_dir), signed.stored_name)


def load_trust_roots(paths: list[str]) -> list:
    """Read the configured PEM (or DER) files of trusted root certificates; an unreadable file is
    logged and skipped (no signature is then trusted through it)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for path in paths:
        try:
            raw = Path(path).read_bytes()
            if pem.detect(raw):
                roots.extend(asn1_x509.Certificate.load(der)
                             for _type, _headers, der in pem.unarmor(raw, multiple=True))
            else:
                roots.append(asn1_x509.Certificate.load(raw))
        except (OSError, ValueError) as exc:
            log.error("SIGNATURE_TRUST_ROOTS: cannot read %s: %s", path, exc)
    return roots


def _name_part(certificate, key: str) -> str | None:
    value = certificate.subject.native.get(key)
    if isinstance(value, list):
        value = ", ".join(value)
    return value or None


def _finding(embedded, status) -> SignatureFinding:
    cert = status.signing_cert
    signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None and status.timestamp_validity.intact:
        signed_at = status.timestamp_validity.timestamp
    return SignatureFinding(
        field=str(embedded.field_name),
        signer_name=_name_part(cert, "common_name") or cert.subject.human_friendly,
        signer_organisation=_name_part(cert, "organization_name"), issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"), signed_at=signed_at,
        coverage=status.coverage.name if status.coverage else "", trusted=bool(status.trusted),
        modification=status.modification_level.name if status.modification_level else "")


def _untrusted_message(finding: SignatureFinding, status) -> str:
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    who = finding.signer_name + (f" ({finding.signer_organisation})" if finding.signer_organisation else "")
    indication = status.trust_problem_indic
    if indication in (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE,
                      AdESIndeterminate.REVOKED_CA_NO_POE):
        return _("The signature of %(who)s is intact, but the signer's certificate has been revoked; "
                 "the file is not accepted as a signed report.", who=who)
    if indication in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                      AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED, AdESFailure.NOT_YET_VALID,
                      AdESIndeterminate.NOT_YET_VALID):
        return _("The signature of %(who)s is intact, but the signer's certificate is expired or not yet "
                 "valid; the file is not accepted as a signed report.", who=who)
    return _("The signature of %(who)s is intact, but the certificate does not belong to a trusted "
             "organisation; the file is not accepted as a signed report. If this agency's certificate "
             "authority should be trusted, ask the administrator to add it.", who=who)


def check_signed_pdf(data: bytes, issued: list[IssuedReport], trust_roots: list) -> CheckedSignature:
    """Check a signed report PDF against the copies issued for its period (see the module's
    docstring); return what was found, or raise ``SignatureRefused`` with the reason."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    changed = _("The file was changed after it was signed (its content no longer matches the signature); "
                "it is not accepted. Sign the report downloaded from the app again and upload that file.")
    added = _("The file was changed after it was signed: content was added to it after the signature. "
              "It is not accepted; upload the file exactly as it was signed.")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.info("unreadable signed PDF: %s", exc)
        raise SignatureRefused(_("The file cannot be read as a PDF document.")) from exc
    if not embedded:
        raise SignatureRefused(_("The file carries no digital signature: sign the report's signature field "
                                 "with the agency's certificate, then upload the signed file."))
    # Only the configured roots (never the system's list), nothing fetched: the server has no network.
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False,
                                revocation_mode="soft-fail")
    # Signing certificates carry non-repudiation, some agencies' only digital signature: either will do.
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                match_all_key_usages=False)
    statuses = []
    for signature in embedded:
        try:
            status = validate_pdf_signature(signature, context, key_usage_settings=usage)
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
            log.info("signature %s could not be validated: %s", signature.field_name, exc)
            raise SignatureRefused(changed) from exc
        if not (status.intact and status.valid):
            raise SignatureRefused(changed)
        statuses.append((signature, status))
    _last, last_status = max(statuses, key=lambda pair: pair[0].signed_revision)
    if last_status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise SignatureRefused(added)
    for _signature, status in statuses:
        level = status.modification_level
        if level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False:
            raise SignatureRefused(added)
    match = next((copy for copy in issued if len(data) > copy.size
                  and hashlib.sha256(data[:copy.size]).hexdigest() == copy.sha256), None)
    if match is None:
        raise SignatureRefused(_("This signed file is not this period's report as the app issued it for "
                                 "signing (a report of another period or an earlier submission, or one whose "
                                 "content was changed before signing). Download this period's report for "
                                 "signing, sign it and upload that file."))
    # From the issued revision to the end, nothing but signature fields filled or added.
    try:
        base = PdfFileReader(BytesIO(data[:match.size]), strict=False).xrefs.total_revisions - 1
        reviewed = DEFAULT_DIFF_POLICY.review_file(reader, base)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        reviewed = SuspiciousModification(str(exc))
    if (isinstance(reviewed, SuspiciousModification)
            or reviewed.modification_level > ModificationLevel.FORM_FILLING):
        log.info("signed PDF differs from issued copy %s: %s", match.id, reviewed)
        raise SignatureRefused(_("The content of the report was changed between its download and its "
                                 "signature; the file is not accepted. Sign the report exactly as "
                                 "downloaded."))
    findings = [(_finding(signature, status), status) for signature, status in statuses]
    for finding, status in findings:
        if not status.trusted:
            raise SignatureRefused(_untrusted_message(finding, status))
    main = next((f for f, _status in findings if f.field == SIGNATURE_FIELD), findings[0][0])
    return CheckedSignature(issued=match, signatures=tuple(f for f, _status in findings), main=main)

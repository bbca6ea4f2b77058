"""Checking evidence files by their content, never by their name alone."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from tracker.domain.i18n import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 3
# A DOCX/XLSX is a zip: refuse archives that expand beyond this (zip bombs).
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "jpg": "jpg", "jpeg": "jpg", "png": "png"}
ALLOWED_TEXT = "PDF, DOCX, XLSX, JPG, PNG"


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: its safe display name, kind and bytes."""

    name: str
    kind: str
    data: bytes

    @property
    def content_type(self) -> str:
        return KINDS[self.kind]


def sniff(data: bytes) -> str | None:
    """Return the kind the bytes really are, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
                if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                    return None
                names = {i.filename for i in infos}
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def safe_name(name: str) -> str:
    """Return a display name without paths or control characters, NFC, at most 120 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 115 - len(ext)] + dot + ext) if dot else name[:120]
    return name or "tep"


def check_file(name: str, data: bytes) -> tuple[CheckedFile | None, str | None]:
    """Return the checked file, or a message saying why it is refused."""
    shown = safe_name(name)
    if not data:
        return None, _("The file '%(name)s' is empty.", name=shown)
    if len(data) > MAX_FILE_BYTES:
        return None, _("The file '%(name)s' is larger than 10 MB.", name=shown)
    extension = EXTENSIONS.get(shown.rsplit(".", 1)[-1].lower()) if "." in shown else None
    kind = sniff(data)
    if kind is None or extension is None:
        return None, _("The file '%(name)s' is not of an accepted type (%(types)s).", name=shown,
                       types=ALLOWED_TEXT)
    if kind != extension:
        return None, _("The file '%(name)s' ends in .%(extension)s but its content is %(kind)s.", name=shown,
                       extension=shown.rsplit(".", 1)[-1], kind=kind.upper())
    return CheckedFile(shown, kind, data), None


def check_files(files: list[tuple[str, bytes]]) -> tuple[list[CheckedFile], str | None]:
    """Check every submitted file; one message covers the first problem."""
    files = [(n, d) for n, d in files if n or d]
    if len(files) > MAX_FILES:
        return [], _("Send at most %(max)s files at a time.", max=MAX_FILES)
    checked = []
    for name, data in files:
        ok, message = check_file(name, data)
        if message:
            return [], message
        checked.append(ok)
    return checked, None

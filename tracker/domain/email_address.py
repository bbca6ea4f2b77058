"""One e-mail address, checked strictly wherever one is accepted and again before mail is sent.

``email-validator`` does the syntax (RFC 5321/5322 dot-atoms, IDNA domains); on top of it we allow
only what an SMTP envelope can carry as exactly one recipient: no lists, no display names, no
quoted local parts, no IP-literal domains, no non-ASCII local parts (they would need SMTPUTF8),
at most 64 characters before the ``@`` and 254 in all (RFC 5321, 4.5.3.1).
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from tracker.domain.i18n import gettext as _

MAX_LENGTH = 254
MAX_LOCAL_LENGTH = 64


class InvalidEmailAddress(ValueError):
    """Not one plain e-mail address; the message is in the reader's language."""


def check_email_address(text: str) -> str:
    """Return ``text`` as one plain ASCII address (IDNA domain), or raise ``InvalidEmailAddress``."""
    refused = InvalidEmailAddress(_("The e-mail address is not valid: enter one address such as "
                                    "ten@xa.gov.vn."))
    if not isinstance(text, str) or any(unicodedata.category(c).startswith("C") for c in text):
        raise refused  # NUL, CR, LF, tabs, format and surrogate characters, anywhere
    text = unicodedata.normalize("NFC", text).strip(" ")
    if not text or len(text) > MAX_LENGTH:
        raise refused
    try:
        info = validate_email(text, check_deliverability=False, allow_smtputf8=False,
                              allow_display_name=False, allow_quoted_local=False,
                              allow_domain_literal=False, allow_empty_local=False)
    except (EmailNotValidError, UnicodeError, ValueError):
        raise refused from None
    address = info.ascii_email
    if not address or len(address) > MAX_LENGTH or len(info.ascii_local_part or "") > MAX_LOCAL_LENGTH:
        raise refused
    return address

"""One e-mail address, checked strictly: the cases that once reached the outbox."""

import pytest

from tracker.domain.email_address import InvalidEmailAddress, check_email_address


@pytest.mark.parametrize(("text", "address"), [
    ("tp.tthcc@ngokbay.example.vn", "tp.tthcc@ngokbay.example.vn"),
    ("  Van.Thu@XA.gov.vn ", "Van.Thu@xa.gov.vn"),          # trimmed; the domain is case-folded
    ("a@bücher.vn", "a@xn--bcher-kva.vn"),                  # an IDN domain in its ASCII form
    ("a+tag@b.vn", "a+tag@b.vn"),
])
def test_accepts_one_plain_address(text, address):
    assert check_email_address(text) == address


@pytest.mark.parametrize("text", [
    "x@[10.0.0.1", "x@[10.0.0.1]", "x@[IPv6:::1]",          # IP literals, well-formed or not
    "a@b.vn,x@evil.vn", "a@b.vn;x@evil.vn", "a@b.vn x@evil.vn",  # lists
    "Kẻ Lạ <x@evil.vn>", "<x@evil.vn>", '"a,b"@b.vn',         # display names, quoted local parts
    "a\x00@b.vn", "a@b.vn\r\nBcc: x@evil.vn", "a@b.vn\n", "a\u200b@b.vn",
    "ü@b.vn", "không phải e-mail", "@b.vn", "a@", "a@localhost", "a@b", "",
    "a" * 65 + "@b.vn", "a@" + "b" * 250 + ".vn", "a@b.vn\ud800",
])
def test_refuses_anything_else(text):
    with pytest.raises(InvalidEmailAddress, match="Địa chỉ e-mail không hợp lệ|e-mail address is not valid"):
        check_email_address(text)

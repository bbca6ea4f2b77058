"""Weak connections: each main page's HTML, CSS and JavaScript weigh at most 100 KB gzip-compressed.

Charts (images the page links to) and uploaded evidence files are not counted: the issue excludes
them, and the pages read without them. Each asset is counted once per page, as a cold cache would
fetch it. The weights are written to ``test-artifacts/page-weight.txt``.
"""

import gzip
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, ROOT
from tracker.models import ReportingPeriod

LIMIT = 100 * 1024
REPORT = ROOT / "test-artifacts" / "page-weight.txt"


class Assets(HTMLParser):
    """The stylesheets and scripts a page loads."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href"):
            self.urls.append(attrs["href"])


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))  # what nginx and most servers use


def weigh(client, path: str) -> dict[str, int]:
    page = client.get(path)
    assert page.status_code == 200, path
    parser = Assets()
    parser.feed(page.text)
    weights = {path: compressed(page.data)}
    for url in dict.fromkeys(parser.urls):
        assert url.startswith("/static/"), f"{path} loads {url} from elsewhere"
        asset = client.get(url)
        assert asset.status_code == 200, url
        weights[url] = compressed(asset.data)
        asset.close()
    return weights


@pytest.fixture
def pages(client, demo, db):
    period = db.session.scalar(select(ReportingPeriod).order_by(ReportingPeriod.id))
    return {
        "login": (None, "/login"),
        "dashboard": ("tp.tthcc", "/plan?as_of=2025-11-03"),
        "item page": ("tp.tthcc", "/items/MT10?as_of=2025-11-03"),
        "my unit": ("tp.tthcc", "/my"),
        "reports list": ("vanthu", "/reports"),
        "period page": ("vanthu", f"/reports/{period.id}"),
    }


def test_main_pages_weigh_at_most_100_kb_compressed(client, pages):
    lines, too_heavy = [], []
    for name, (username, path) in pages.items():
        client.post("/logout")
        if username:
            client.post("/login", data={"username": username, "password": PASSWORD})
        weights = weigh(client, path)
        total = sum(weights.values())
        detail = ", ".join(f"{url.rsplit('/', 1)[-1]} {size / 1024:.1f}" for url, size in weights.items())
        lines.append(f"{name:<13} {total / 1024:6.1f} KB  ({detail})")
        if total > LIMIT:
            too_heavy.append(f"{name}: {total / 1024:.1f} KB")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("gzip-compressed HTML + CSS + JS per page (KB)\n" + "\n".join(lines) + "\n",
                      encoding="utf-8")
    assert not too_heavy, too_heavy

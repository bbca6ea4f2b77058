"""Take screenshots of the main pages of a running tracker (default http://127.0.0.1:5000).

Usage: python tools/screenshots.py [BASE_URL] [OUT_DIR]
Signs in as the demo users, so run it against `make run`. Uses Debian's /usr/bin/chromium.
Long pages are cut at 2400 px and the images reduced to 128 colours, so the committed files stay small.
The journeys' own screenshots come from the browser tests: `TRACKER_DOC_SHOTS=1 pytest tests/browser`.
"""

import os
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

MAX_HEIGHT = 2400
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = os.environ.get("TRACKER_DEMO_PASSWORD", "demo-ngokbay")  # noqa: S105 (demo data)
SHOTS = [
    ("bithu", "/?as_of=2025-11-03", "plan-overview"),
    ("tp.tthcc", "/units/TTHCC?as_of=2025-11-03", "unit-page"),
    ("bithu", "/items/MT10?as_of=2025-11-03", "item-target"),
    ("bithu", "/items/NV03?as_of=2025-11-03", "item-task"),
    ("admin", "/admin/users", "admin-users"),
    ("tp.tthcc", "/my", "unit-desk"),
    ("bithu", "/scorecard?as_of=2026-01-10", "scorecard"),
    ("bithu", "/items/MT13?as_of=2025-11-03", "item-directives"),
    ("vanthu", "/reports", "reports"),
    ("tp.tthcc", "/inbox", "inbox"),
    ("admin", "/admin/jobs", "admin-jobs"),
]


def main() -> None:
    """Sign in per shot and save desktop and phone screenshots."""
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, viewport in (("desktop", {"width": 1280, "height": 900}),
                               ("phone", {"width": 360, "height": 740})):
            for user, path, name in SHOTS:
                page = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
                page.goto(f"{base}/login")
                page.fill("#username", user)
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                page.goto(f"{base}{path}")
                path = out / f"{name}-{size}.png"
                height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                page.screenshot(path=str(path), full_page=True,
                                clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
                with Image.open(path) as image:
                    small = image.convert("RGB").quantize(colors=128)
                small.save(path, optimize=True)
                page.context.close()
        browser.close()


if __name__ == "__main__":
    main()

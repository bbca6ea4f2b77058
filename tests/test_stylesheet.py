"""The stylesheet's blocks close where they should: a merge once dropped the closing brace of a phone
``@media`` block, and every rule after it (the province board's) applied on phones only."""

import re

from tests.conftest import ROOT


def test_every_top_level_section_of_the_stylesheet_starts_outside_any_block():
    css = (ROOT / "tracker" / "static" / "css" / "app.css").read_text(encoding="utf-8")
    depth, open_at_sections = 0, []
    for token in re.finditer(r"/\*.*?\*/|[{}]", css, flags=re.S):
        text = token.group()
        if text.startswith("/* ---") and depth:
            open_at_sections.append(text.splitlines()[0])
        elif text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            assert depth >= 0, f"a stray closing brace at character {token.start()}"
    assert open_at_sections == []
    assert depth == 0

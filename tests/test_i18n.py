"""Languages: Vietnamese by default, English per user; catalogues complete, in sync and well-formed."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from tests.conftest import PASSWORD
from tracker.domain import i18n
from tracker.domain.entries import EntryInput, check_entry
from tracker.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "tracker" / "translations"
TEMPLATES = ROOT / "tracker" / "templates"
LANGUAGES = ("vi", "en")
# The official report documents stay Vietnamese and are not translated (see README, "Translations").
OFFICIAL_TEMPLATES = {"reports/print.html", "reports/_print.css"}
# Letters only Vietnamese uses among the texts we write (Latin-1 accents such as ÷ are not letters).
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                        re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%%")


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def messages(language: str):
    return [m for m in catalogue(language) if m.id]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_is_translated(language):
    untranslated = [m.id for m in messages(language) if not m.string]
    fuzzy = [m.id for m in messages(language) if m.fuzzy]
    assert not untranslated, f"{language}: no msgstr for {untranslated[:5]}"
    assert not fuzzy, f"{language}: fuzzy entries {fuzzy[:5]}"


def test_both_catalogues_hold_the_same_msgids():
    assert {m.id for m in messages("vi")} == {m.id for m in messages("en")}
    assert len(messages("vi")) > 400


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match(language):
    wrong = [(m.id, m.string) for m in messages(language)
             if sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogues_match_the_po_files(language):
    """The .mo files are committed: they must be what `make i18n-compile` makes of the .po files."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    compiled.seek(0)
    expected = {m.id: m.string for m in read_mo(compiled) if m.id}
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        committed = {m.id: m.string for m in read_mo(f) if m.id}
    assert committed == expected, "run `make i18n-compile` and commit the .mo files"


def _outside_gettext(source: str) -> str:
    """The template text with comments and the strings of ``_(...)`` calls removed."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.DOTALL)
    return re.sub(r"""_\(\s*(?:'[^']*'|"[^"]*")""", "_(", source)


@pytest.mark.parametrize("path", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.*")
                                        if p.relative_to(TEMPLATES).as_posix() not in OFFICIAL_TEMPLATES))
def test_no_vietnamese_left_unwrapped_in_templates(path):
    allowed = ("CHỦ TỊCH",)  # the placeholder of a field printed in the official report
    text = _outside_gettext((TEMPLATES / path).read_text(encoding="utf-8"))
    for word in allowed:
        text = text.replace(word, "")
    leftovers = [line.strip() for line in text.splitlines() if VIETNAMESE.search(line)]
    assert not leftovers, f"{path}: wrap these in _(): {leftovers[:3]}"


def test_no_vietnamese_left_unwrapped_in_the_web_face():
    """String literals of tracker/web with Vietnamese letters must be arguments of a gettext call."""
    allowed = {("tracker/web/language.py", "Tiếng Việt")}  # a language's own name is never translated
    leftovers = []
    for path in sorted((ROOT / "tracker" / "web").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrapped = {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call)
                   and getattr(node.func, "id", None) in ("_", "_l") for arg in node.args}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and VIETNAMESE.search(node.value) and id(node) not in wrapped):
                name = path.relative_to(ROOT).as_posix()
                if (name, node.value) not in allowed and not _is_docstring(tree, node):
                    leftovers.append((name, node.lineno, node.value[:40]))
    assert not leftovers, leftovers


def _is_docstring(tree, node) -> bool:
    return any(isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
               and isinstance(n.body[0], ast.Expr) and n.body[0].value is node for n in ast.walk(tree))


def test_pure_rules_speak_vietnamese_by_default():
    errors = check_entry(EntryInput(as_of=None), shape="value", tracking_start=i18n_date(),
                         today=i18n_date())
    assert errors == {"as_of": "Chọn ngày số liệu.", "value": "Nhập giá trị đạt được."}


def test_pure_rules_follow_the_installed_language(monkeypatch):
    monkeypatch.setattr(i18n, "_language_getter", lambda: "en")
    errors = check_entry(EntryInput(as_of=None), shape="value", tracking_start=i18n_date(),
                         today=i18n_date())
    assert errors == {"as_of": "Choose the date of the figures.", "value": "Enter the value reached."}
    monkeypatch.setattr(i18n, "_language_getter", lambda: "xx")
    assert i18n.current_language() == "vi", "an unknown language falls back to Vietnamese"


def i18n_date():
    from datetime import date

    return date(2025, 10, 1)


def english_head(client, make_user, db):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    head.language = "en"
    db.session.commit()
    assert client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD}).status_code == 302
    return head


def test_vietnamese_is_the_default(client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    page = client.get("/plan?as_of=2025-11-03", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="vi">' in page.text, "the browser's language is ignored: officials share PCs"
    assert "Đăng xuất" in page.text
    assert "Sign out" not in page.text


def test_a_user_choosing_english_sees_english_pages(client, make_user, db):
    english_head(client, make_user, db)
    page = client.get("/plan?as_of=2025-11-03")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    for text in ("Plan", "By unit", "Reports", "Sign out", "Targets (", "Focus tasks (", "Lead unit",
                 "Behind / overdue"):
        assert text in page.text, text
    for text in ("Đăng xuất", "Chỉ tiêu (", "Đơn vị chủ trì"):
        assert text not in page.text, text
    assert "31/12/2025" in page.text, "dates keep the dd/mm/yyyy form in English too"
    item = client.get("/items/MT02?as_of=2025-11-03")
    assert "Why this colour:" in item.text
    assert "No figures up to 03/11/2025." in item.text


def test_an_english_form_answers_in_english(client, make_user, db, hand_ratio):
    english_head(client, make_user, db)
    answer = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": ""})
    assert answer.status_code == 422
    assert "Enter the value reached." in answer.text
    bad = client.post("/items/MT10/entries", data={"as_of": "2025-10-31", "numerator": "1.234,5",
                                                   "denominator": "300"})
    assert "The numerator (1234.5) cannot be greater than the denominator (300)." in bad.text
    word = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "bảy"})
    assert "Value is not a number (for example: 1.234,5)." in word.text


def test_choosing_the_language_on_the_account_page(client, make_user, db):
    make_user("vanthu", "secretary", "VP")
    client.post("/login", data={"username": "vanthu", "password": PASSWORD})
    page = client.get("/account/password")
    assert "Tiếng Việt" in page.text
    assert "English" in page.text
    assert client.post("/account/language", data={"language": "klingon"}).status_code == 422
    answer = client.post("/account/language", data={"language": "en"}, follow_redirects=True)
    assert answer.status_code == 200
    assert "The interface language was changed." in answer.text
    assert "Interface language" in answer.text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.language"))
    assert event.after == {"language": "en"}
    back = client.post("/account/language", data={"language": "vi"}, follow_redirects=True)
    assert "Đã đổi ngôn ngữ giao diện." in back.text


def test_official_documents_and_the_api_stay_vietnamese(client, make_user, db):
    english_head(client, make_user, db)
    summary = client.get("/summary?as_of=2025-11-03")
    assert summary.status_code == 200
    assert "Chưa có số liệu" in summary.text
    assert "No data yet" not in summary.text
    assert client.get("/charts/colours.svg?as_of=2025-11-03").status_code == 200
    assert "Sign out" in client.get("/plan?as_of=2025-11-03").text, "the pages are English again after"


def test_an_english_secretary_reads_the_statistics_rules_in_english(client, make_user, db):
    from tests.test_domain_stats import NGOK_TU
    from tests.test_web_reports import form_of, open_week

    secretary = make_user("vanthu", "secretary", "VP")
    secretary.language = "en"
    db.session.commit()
    client.post("/login", data={"username": "vanthu", "password": PASSWORD})
    page = open_week(client)
    refused = client.post(f"{page}/stats", data=form_of(NGOK_TU))
    assert refused.status_code == 422
    assert "Resolved + in process must equal dossiers carried over + dossiers newly received" in refused.text
    assert "dossiers newly received in the period 812 = 812." in refused.text
    print_page = client.get(f"{page}/report.html")
    assert '<html lang="vi">' in print_page.text, "the report itself stays Vietnamese"
    assert "Chưa có số liệu" in print_page.text
    assert "No data yet" not in print_page.text


def test_catalogues_hold_every_msgid_of_the_sources():
    """A wrapped text missing from the catalogues would show its English msgid to Vietnamese readers."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    # Babel's default filter skips folders starting with "_" (templates/_macros): look there too.
    found = {message for _, _, message, *_ in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords,
        directory_filter=lambda path: not Path(path).name.startswith("."))}
    found = {m if isinstance(m, str) else m[0] for m in found}
    missing = sorted(found - {m.id for m in messages("vi")})
    assert not missing, f"run `make i18n-update`, translate and `make i18n-compile`: {missing[:5]}"


# One translation pipeline: tracker.domain.i18n translates Python modules, templates, WTForms and
# Flask-Login alike; the web face only tells it the reader's language.

SOURCE_DIRS = ("tracker", "devtools", "tests", "tools", "benchmarks")
TRANSLATION_NAMES = {"gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "npgettext",
                     "_", "_l", "force_locale", "get_locale", "refresh"}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield from ((node.module or "", alias.name) for alias in node.names)


def test_nothing_imports_flask_babel():
    importers = sorted({path.relative_to(ROOT).as_posix() for folder in SOURCE_DIRS
                        for path in (ROOT / folder).rglob("*.py")
                        for module, _name in _imports(path) if module.split(".")[0] == "flask_babel"})
    assert not importers
    assert "flask-babel" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_every_translation_function_comes_from_the_one_pipeline():
    strays = sorted((path.relative_to(ROOT).as_posix(), module, name)
                    for path in (ROOT / "tracker").rglob("*.py") for module, name in _imports(path)
                    if name in TRANSLATION_NAMES and module != "tracker.domain.i18n")
    assert not strays


def _english_request(app, make_user, db):
    """A request context of a signed-in reader who chose English."""
    from flask_login import login_user

    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    user.language = "en"
    db.session.commit()
    assert user.language == "en"  # loaded now, before the request's own app context
    context = app.test_request_context("/")
    context.push()
    login_user(user)
    return context


def test_the_pipeline_speaks_the_readers_language_everywhere(app, make_user, db):
    """Python gettext, lazy labels, templates, WTForms' messages and Flask-Login's speak English alike."""
    from flask import render_template_string

    from tracker.web.auth.forms import LanguageForm
    from tracker.web.language import TRANSLATIONS, speaking

    context = _english_request(app, make_user, db)
    try:
        placeholder = ("{{ _('Template plan: <strong>%(title)s</strong> (%(targets)s targets, "
                       "%(tasks)s tasks).', title=title, targets=2, tasks=3) }}")
        assert i18n.gettext("Sign out") == "Sign out"
        assert render_template_string("{{ _('Sign out') }}") == "Sign out"
        assert str(LanguageForm.language.args[0]) == "Interface language"
        assert str(app.login_manager.login_message) == "Please sign in to continue."
        assert LanguageForm(formdata=None).meta.get_translations(None) is TRANSLATIONS
        # Jinja fills the placeholders and escapes their values; the translation's own markup stays.
        assert render_template_string(placeholder, title="<i>x</i>") == \
            "Template plan: <strong>&lt;i&gt;x&lt;/i&gt;</strong> (2 targets, 3 tasks)."
        with speaking("vi"):
            assert i18n.current_language() == "vi"
            assert i18n.gettext("Sign out") == "Đăng xuất"
            assert render_template_string("{{ _('Sign out') }}") == "Đăng xuất"
            assert str(LanguageForm.language.args[0]) == "Ngôn ngữ giao diện"
            assert TRANSLATIONS.gettext("Sign out") == "Đăng xuất"
            escaped = render_template_string(placeholder, title="<i>x</i>")
            assert "<strong>&lt;i&gt;x&lt;/i&gt;</strong>" in escaped
            with speaking("en"):  # nested switches restore what was there
                assert i18n.gettext("Sign out") == "Sign out"
            assert i18n.gettext("Sign out") == "Đăng xuất"
        assert i18n.gettext("Sign out") == "Sign out", "the reader's language again after the block"
    finally:
        context.pop()


def test_official_documents_stay_vietnamese_for_an_english_reader_through_the_one_pipeline(
        client, make_user, db, monkeypatch):
    """A text the web face writes while rendering a document (here: no PDF library) is Vietnamese too."""
    from tracker.render.render_pdf import PdfUnavailable
    from tracker.web import sending

    def no_pdf(report, fmt, toolbar=None):
        raise PdfUnavailable("pango")

    english_head(client, make_user, db)
    vietnamese = {m.id: m.string for m in messages("vi")}
    lacks_pdf = ("The server lacks the PDF library (pango); download the Word (DOCX) version or use the "
                 "print view, and ask the administrator to install it.")
    monkeypatch.setattr(sending, "render", no_pdf)
    answer = client.get("/summary?as_of=2025-11-03&format=pdf")
    assert answer.status_code == 503
    assert vietnamese[lacks_pdf] in answer.text
    assert lacks_pdf not in answer.text
    assert "Sign out" in answer.text, "the page around the message is the reader's, English"
    monkeypatch.undo()
    summary = client.get("/summary?as_of=2025-11-03")
    assert '<html lang="vi">' in summary.text
    assert "Chưa có số liệu" in summary.text
    assert "No data yet" not in summary.text
    assert '<html lang="en">' in client.get("/plan?as_of=2025-11-03").text

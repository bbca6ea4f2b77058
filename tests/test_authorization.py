"""Every route and method of the web face, for every role, against one declared table.

A new route missing from ROUTES fails ``test_every_route_is_declared``. Refusals (302 to sign
in, 403, 404) must change nothing: the row counts of every table but the audit log stay equal.
"""

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from tests.conftest import PASSWORD, SEED_FILE
from tracker.domain.entries import EntryInput
from tracker.domain.evidence import check_file
from tracker.domain.seed_file import parse_plan_seed
from tracker.models import ApiToken, Base, Commune
from tracker.models.notifications import Notification
from tracker.services.directives import write_directive
from tracker.services.evidence import attach_files
from tracker.services.periods import PeriodInput, create_period
from tracker.services.progress import log_progress
from tracker.services.seeding import load_plan_seed
from tracker.services.tokens import create_token
from tracker.services.users import create_user

ROLES = ("anonymous", "admin", "leader", "secretary", "head", "other_head", "province")
SIGNED = {"anonymous": 302, **dict.fromkeys(ROLES[1:], 200)}
# A commune's page: a province user who names no commune is sent to the province roll-up
# (test_province_user_reads_every_commune_page covers the pages with ?commune=).
COMMUNE = {**SIGNED, "province": 302}


def only(allowed: dict[str, int], refused: int = 403) -> dict[str, int]:
    """Anonymous → sign-in page; the roles named get their status; every other role ``refused``."""
    return {"anonymous": 302, **{r: allowed.get(r, refused) for r in ROLES[1:]}}


# Who takes a report to be signed (ký số) and uploads it signed: secretaries, admins, leaders.
SIGNERS = {"admin": 422, "secretary": 422, "leader": 422}


# (rule, method) -> (path, expected status per role). Paths may name {period}, {directive}, {user},
# {attachment}, {notification}, {token}: objects the fixture creates. POSTs send an empty form.
ROUTES = {
    # Home sends every signed-in user on to where their work starts (tests/browser/test_landing.py).
    ("/", "GET"): ("/", dict.fromkeys(COMMUNE, 302)),
    ("/plan", "GET"): ("/plan", COMMUNE),
    ("/attention", "GET"): ("/attention", COMMUNE),
    ("/about", "GET"): ("/about", SIGNED),
    ("/account/password", "GET"): ("/account/password", SIGNED),
    ("/account/password", "POST"): ("/account/password", {"anonymous": 302, **dict.fromkeys(ROLES[1:], 422)}),
    ("/account/tokens", "GET"): ("/account/tokens", SIGNED),
    # The head's own token: theirs to revoke, and their commune admin's; everyone else's 404.
    ("/account/tokens/<int:token_id>/revoke", "POST"): ("/account/tokens/{token}/revoke",
                                                        {"anonymous": 302, **dict.fromkeys(ROLES[1:], 404),
                                                         "head": 302, "admin": 302}),
    ("/account/language", "POST"): ("/account/language", {"anonymous": 302, **dict.fromkeys(ROLES[1:], 422)}),
    ("/admin/audit", "GET"): ("/admin/audit", only({"admin": 200, "leader": 200})),
    ("/admin/audit.csv", "GET"): ("/admin/audit.csv", only({"admin": 200, "leader": 200})),
    ("/admin/units", "GET"): ("/admin/units", only({"admin": 200})),
    ("/admin/plan-template", "GET"): ("/admin/plan-template", only({"admin": 200})),
    ("/admin/plan-template", "POST"): ("/admin/plan-template", only({"admin": 422})),
    ("/admin/users", "GET"): ("/admin/users", only({"admin": 200})),
    ("/admin/users", "POST"): ("/admin/users", only({"admin": 422})),
    ("/admin/users/<int:user_id>/active", "POST"): ("/admin/users/{user}/active", only({"admin": 302})),
    ("/admin/users/<int:user_id>/password", "POST"): ("/admin/users/{user}/password", only({"admin": 302})),
    ("/attachments/<int:attachment_id>", "GET"): ("/attachments/{attachment}", SIGNED),
    ("/charts/colours.<any(svg, png):fmt>", "GET"): ("/charts/colours.svg", COMMUNE),
    ("/directives/<int:directive_id>/reply", "POST"): ("/directives/{directive}/reply",
                                                       only({"admin": 422, "head": 422})),
    ("/directives/<int:directive_id>/due", "POST"): ("/directives/{directive}/due",
                                                     only({"admin": 302, "leader": 302})),
    ("/favicon.ico", "GET"): ("/favicon.ico", dict.fromkeys(ROLES, 301)),
    ("/items/<code>", "GET"): ("/items/MT02", COMMUNE),
    ("/items/<code>/directives", "POST"): ("/items/MT02/directives", only({"admin": 422, "leader": 422})),
    ("/items/<code>/entries", "POST"): ("/items/MT02/entries", only({"admin": 422, "head": 422})),
    ("/items/<code>/trend.<any(svg, png):fmt>", "GET"): ("/items/MT02/trend.svg", COMMUNE),
    ("/legal", "GET"): ("/legal", COMMUNE),
    ("/legal", "POST"): ("/legal", only({"admin": 422, "secretary": 422})),
    ("/login", "GET"): ("/login", {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    ("/login", "POST"): ("/login", {"anonymous": 401, **dict.fromkeys(ROLES[1:], 302)}),
    ("/logout", "POST"): ("/logout", {"anonymous": 302, **dict.fromkeys(ROLES[1:], 302)}),
    ("/my", "GET"): ("/my", only({"head": 200, "other_head": 200})),
    ("/my/entries", "POST"): ("/my/entries", only({"head": 422, "other_head": 422})),
    ("/reports", "GET"): ("/reports", COMMUNE),
    ("/reports", "POST"): ("/reports", only({"admin": 422, "secretary": 422})),
    ("/reports/<int:period_id>", "GET"): ("/reports/{period}", COMMUNE),
    # The page's one save (statistics, finance, narratives); an empty form changes nothing.
    ("/reports/<int:period_id>", "POST"): ("/reports/{period}", only({"admin": 302, "secretary": 302})),
    ("/reports/<int:period_id>/finance", "POST"): ("/reports/{period}/finance",
                                                   only({"admin": 302, "secretary": 302})),
    ("/reports/<int:period_id>/reopen", "POST"): ("/reports/{period}/reopen",
                                                  only({"admin": 422, "secretary": 422})),
    ("/reports/<int:period_id>/report.<fmt>", "GET"): ("/reports/{period}/report.docx", COMMUNE),
    ("/reports/<int:period_id>/sections", "POST"): ("/reports/{period}/sections",
                                                    only({"admin": 302, "secretary": 302})),
    ("/reports/<int:period_id>/stats", "POST"): ("/reports/{period}/stats",
                                                 only({"admin": 302, "secretary": 302})),
    ("/reports/<int:period_id>/submit", "POST"): ("/reports/{period}/submit",
                                                  only({"admin": 302, "secretary": 302})),
    ("/reports/import", "POST"): ("/reports/import", only({"admin": 422, "secretary": 422})),
    # Signed submissions (ký số): the world's period is a draft, which cannot be signed (422).
    ("/reports/<int:period_id>/signing-copy", "POST"): ("/reports/{period}/signing-copy", only(SIGNERS)),
    ("/reports/<int:period_id>/signed", "POST"): ("/reports/{period}/signed", only(SIGNERS)),
    ("/reports/signed/<int:signed_id>", "GET"): ("/reports/signed/999",
                                                 {"anonymous": 302, **dict.fromkeys(ROLES[1:], 404)}),
    ("/scorecard", "GET"): ("/scorecard", COMMUNE),
    ("/summary", "GET"): ("/summary", COMMUNE),
    ("/units/<code>", "GET"): ("/units/TTHCC", COMMUNE),
    # A commune's admin sees the jobs; only a province's admin pauses or runs them (test_job_control.py).
    ("/admin/jobs", "GET"): ("/admin/jobs", only({"admin": 200})),
    ("/province", "GET"): ("/province", only({"province": 200})),
    ("/province/heatmap.<any(svg, png):fmt>", "GET"): ("/province/heatmap.svg", only({"province": 200})),
    ("/province/report.<fmt>", "GET"): ("/province/report.docx", only({"province": 200})),
    # Paper reports: province users read them; only its secretaries and admins key them (the
    # "province" user is a leader); a report that does not exist is 404 (tests/test_web_province_paper.py).
    ("/province/paper", "GET"): ("/province/paper", only({"province": 200})),
    ("/province/paper/new", "GET"): ("/province/paper/new", only({"province": 200})),
    ("/province/paper/new", "POST"): ("/province/paper/new", only({})),
    ("/province/paper/<int:report_id>", "GET"): ("/province/paper/999", only({"province": 404})),
    ("/province/paper/<int:report_id>", "POST"): ("/province/paper/999", only({})),
    # The province's own report of a period: its leaders read it, its secretaries and admins edit it.
    ("/province/summary", "GET"): ("/province/summary", only({"province": 200})),
    ("/province/summary", "POST"): ("/province/summary", only({})),
    ("/province/summary.<fmt>", "GET"): ("/province/summary.docx", only({"province": 200})),
    ("/province/reports", "GET"): ("/province/reports", only({"province": 200})),
    # The period is a draft: the province's leader may review, but not a draft (422, nothing changed).
    ("/province/reports/<int:period_id>/accept", "POST"): ("/province/reports/{period}/accept",
                                                           only({"province": 422})),
    ("/province/reports/<int:period_id>/return", "POST"): ("/province/reports/{period}/return",
                                                           only({"province": 422})),
    ("/province/calendar", "GET"): ("/province/calendar", only({"province": 200})),
    ("/province/calendar", "POST"): ("/province/calendar", only({})),  # a province's admins only
    # The province's leader reads its accounts and log; only its admins change them (test_province_admin.py).
    ("/province/users", "GET"): ("/province/users", only({"province": 200})),
    ("/province/activity", "GET"): ("/province/activity", only({"province": 200})),
    ("/province/users", "POST"): ("/province/users", only({})),
    ("/province/commune-admins", "POST"): ("/province/commune-admins", only({})),
    ("/province/users/<int:user_id>/active", "POST"): ("/province/users/{user}/active", only({})),
    ("/province/users/<int:user_id>/password", "POST"): ("/province/users/{user}/password", only({})),
    ("/province/users/<int:user_id>/role", "POST"): ("/province/users/{user}/role", only({})),
    ("/admin/jobs/<name>/pause", "POST"): ("/admin/jobs/snapshot/pause", only({})),
    ("/admin/jobs/<name>/run", "POST"): ("/admin/jobs/snapshot/run", only({})),
    ("/inbox", "GET"): ("/inbox", SIGNED),
    ("/inbox/badge", "GET"): ("/inbox/badge", SIGNED),
    ("/inbox/settings", "GET"): ("/inbox/settings", SIGNED),
    ("/inbox/settings", "POST"): ("/inbox/settings", {"anonymous": 302, **dict.fromkeys(ROLES[1:], 302)}),
    ("/inbox/read-all", "POST"): ("/inbox/read-all", {"anonymous": 302, **dict.fromkeys(ROLES[1:], 302)}),
    # The head's own notification: theirs to mark read; everyone else's id is absent.
    ("/inbox/<int:notification_id>/read", "POST"): ("/inbox/{notification}/read",
                                                     {"anonymous": 302, **dict.fromkeys(ROLES[1:], 404),
                                                      "head": 302}),
}
USERS = {"admin": ("admin", None), "leader": ("leader", "TTDU"), "secretary": ("secretary", "VP"),
         "head": ("unit_head", "TTHCC"), "other_head": ("unit_head", "KT")}
PROVINCE_ROLE = "leader"  # the "province" user: the leader of the seeded commune's province


def web_rules(app) -> set[tuple[str, str]]:
    return {(rule.rule, method) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and not rule.endpoint.startswith("api.")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_declared(app):
    assert web_rules(app) == set(ROUTES)


@pytest.fixture
def world(db, plan, make_user, data_app):
    users = {role: make_user(role, *USERS[role]) for role in USERS}
    create_user(db.session, province=plan.commune.province, username="province", password=PASSWORD,
                role=PROVINCE_ROLE, hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    period = create_period(db.session, users["secretary"], plan.commune,
                           PeriodInput("week", date(2025, 10, 27), date(2025, 11, 3)))
    directive = write_directive(db.session, users["leader"], plan.targets[1], "Báo cáo tiến độ MT02")
    entry = log_progress(db.session, users["head"], plan.targets[1],
                         EntryInput(as_of=date(2025, 10, 1), value=74), today=date(2025, 11, 1))
    checked, _ = check_file("qd.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = attach_files(db.session, users["head"], entry, [checked],
                              Path(data_app.config["UPLOAD_DIR"]))[0]
    create_token(db.session, users["head"], "api")
    note = Notification(user_id=users["head"].id, kind="directive", key="test", title="Có chỉ đạo mới",
                        body="MT02", link="/items/MT02")
    db.session.add(note)
    db.session.commit()
    return {"period": period.id, "directive": directive.id, "user": users["other_head"].id,
            "attachment": attachment.id, "notification": note.id,
            "token": db.session.scalar(select(ApiToken.id))}


# Tables a refused request is meant to write to: the audit log, and the sign-in throttle's count of
# failed attempts.
RECORDS_OF_REFUSALS = frozenset({"audit_event", "sign_in_throttle"})


def row_counts(db) -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables if t.name not in RECORDS_OF_REFUSALS}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[1]} {r[0]}")
def test_route(app, db, world, role, route):
    path, expected = ROUTES[route]
    client = app.test_client()
    if role != "anonymous":
        assert client.post("/login", data={"username": role, "password": PASSWORD}).status_code == 302
    before = row_counts(db)
    answer = client.open(path.format(**world), method=route[1], data={} if route[1] == "POST" else None)
    assert answer.status_code == expected[role], answer.text[:300]
    answer.close()
    if answer.status_code in (302, 403, 404, 401) and route[1] == "POST" and expected[role] != 302:
        db.session.expire_all()
        assert row_counts(db) == before, "a refusal changed data"


def test_other_communes_objects_are_404_and_untouched(app, db, world, data_app):
    """Users of a second commune reach none of the first commune's objects by id."""
    data = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    data["commune"] = {"code": "xa-khac", "name": "Xã Khác", "province": "Tỉnh Quảng Ngãi"}
    load_plan_seed(db.session, parse_plan_seed(data, "xa-khac.yaml"))
    other = db.session.scalar(select(Commune).where(Commune.code == "xa-khac"))
    for username, role, unit in (("admin.khac", "admin", None), ("head.khac", "unit_head", "TTHCC"),
                                 ("thuky.khac", "secretary", "VP")):
        create_user(db.session, commune=other, username=username, password=PASSWORD, role=role,
                    unit_code=unit, hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                    min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    before = row_counts(db)
    probes = {
        "admin.khac": [("POST", "/admin/users/{user}/active"), ("POST", "/admin/users/{user}/password"),
                       ("GET", "/attachments/{attachment}")],
        "head.khac": [("POST", "/directives/{directive}/reply"), ("GET", "/attachments/{attachment}")],
        "thuky.khac": [("GET", "/reports/{period}"), ("POST", "/reports/{period}"),
                       ("POST", "/reports/{period}/stats"),
                       ("POST", "/reports/{period}/submit"), ("GET", "/reports/{period}/report.docx")],
    }
    for username, calls in probes.items():
        client = app.test_client()
        assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
        for method, path in calls:
            form = {"reply": "x", "password": "x" * 12}
            answer = client.open(path.format(**world), method=method, data=form)
            assert answer.status_code == 404, (username, method, path)
    db.session.expire_all()
    assert row_counts(db) == before


def _with_commune(path: str, code: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}commune={code}"


def test_province_user_reads_every_commune_page_and_writes_nothing(app, db, world):
    """Naming the commune, a province user reads each commune page a commune user reads, and
    every write is refused (403) without changing anything."""
    client = app.test_client()
    assert client.post("/login", data={"username": "province", "password": PASSWORD}).status_code == 302
    before = row_counts(db)
    for (rule, method), (path, expected) in sorted(ROUTES.items()):
        if expected is not COMMUNE and not (method == "POST" and expected["province"] == 403):
            continue
        answer = client.open(_with_commune(path.format(**world), "ngok-bay"), method=method,
                             data={"text": "x", "reply": "x", "value": "1"} if method == "POST" else None)
        wanted = 200 if method == "GET" else 403
        assert answer.status_code == wanted, (rule, method, answer.text[:300])
        answer.close()
    db.session.expire_all()
    assert row_counts(db) == before


def test_province_pages_never_cross_a_province(app, db, world, data_app):
    """Another province's user sees none of this province's communes; commune users see no province page
    and no other commune."""
    data = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    data["commune"] = {"code": "xa-khac", "name": "Xã Khác", "province": "Tỉnh Kon Tum"}
    load_plan_seed(db.session, parse_plan_seed(data, "xa-khac.yaml"))
    other = db.session.scalar(select(Commune).where(Commune.code == "xa-khac"))
    create_user(db.session, province=other.province, username="tinh.khac", password=PASSWORD, role="leader",
                hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    outsider = app.test_client()
    assert outsider.post("/login", data={"username": "tinh.khac", "password": PASSWORD}).status_code == 302
    rollup = outsider.get("/province")
    assert rollup.status_code == 200
    assert "Xã Khác" in rollup.text
    assert "Ngọk Bay" not in rollup.text
    report = outsider.get("/province/report.html")
    assert "Ngọk Bay" not in report.text
    for path in ("/plan?commune=ngok-bay", "/items/MT02?commune=ngok-bay",
                 "/reports/{period}?commune=ngok-bay", "/reports/{period}/report.docx?commune=ngok-bay",
                 "/charts/colours.svg?commune=ngok-bay",
                 "/units/TTHCC?commune=ngok-bay", "/attachments/{attachment}"):
        assert outsider.get(path.format(**world)).status_code == 404, path
    assert outsider.get("/plan?commune=xa-khac").status_code == 200
    assert "Ngọk Bay" not in outsider.get("/province/reports").text
    for action in ("accept", "return"):
        answer = outsider.post(f"/province/reports/{world['period']}/{action}", data={"reason": "x"})
        assert answer.status_code == 404
    insider = app.test_client()
    assert insider.post("/login", data={"username": "province", "password": PASSWORD}).status_code == 302
    assert "Xã Khác" not in insider.get("/province").text
    assert insider.get("/plan?commune=xa-khac").status_code == 404
    for role in ("admin", "leader", "secretary", "head"):
        client = app.test_client()
        assert client.post("/login", data={"username": role, "password": PASSWORD}).status_code == 302
        assert client.get("/province").status_code == 403
        assert client.get("/province/heatmap.png").status_code == 403
        assert client.get("/plan?commune=xa-khac").status_code == 404
        assert client.get("/plan?commune=ngok-bay").status_code == 200  # naming one's own commune is fine

"""Paper reports on the web: province secretaries key a report in as printed and see its flags."""

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tracker.models import AuditEvent, Commune, PaperFigure, PaperReport, Province
from tracker.services.users import create_user

# Seed 002 (xã Minh Long), section 4, typed as the report prints it.
SEED_002_FORM = {
    "kind": "month", "start_date": "01/10/2025", "end_date": "31/10/2025",
    "doc_number": "/BC-UBND", "doc_date": "ngày      tháng 10 năm 2025",
    "tthc_online_full-count": "266", "tthc_partial_or_in_person-count": "496",
    "dossiers_new_total-count": "687",
    "dossiers_new_in_person-percent": "19,95", "dossiers_new_in_person-base": "dossiers_new_total",
    "dossiers_new_online_full-percent": "80,05 %", "dossiers_new_online_full-base": "dossiers_new_total",
    "dossiers_new_online_partial-percent": "90,16%", "dossiers_new_online_partial-base": "dossiers_new_total",
}


@pytest.fixture
def province_secretary(db, plan, data_app):
    """A secretary of the seeded commune's province."""
    user = create_user(db.session, province=plan.commune.province, username="vptinh", password=PASSWORD,
                       role="secretary", full_name="Văn phòng tỉnh",
                       hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                       min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    return user


def _form(plan, **extra):
    return {"commune_id": str(plan.commune.id), **SEED_002_FORM, **extra}


def test_commune_users_get_403(client, login, make_user):
    make_user("vanthu", "secretary", "VP")
    login("vanthu")
    assert client.get("/province/paper").status_code == 403
    assert client.get("/province/paper/new").status_code == 403
    assert client.post("/province/paper/new", data={}).status_code == 403


def test_keying_seed_002_saves_it_as_printed_and_lists_every_flag(client, login, plan, province_secretary,
                                                                  db):
    login("vptinh")
    assert client.get("/province/paper/new").status_code == 200
    response = client.post("/province/paper/new", data=_form(plan))
    assert response.status_code == 302
    report = db.session.scalar(select(PaperReport))
    assert response.headers["Location"].endswith(f"/province/paper/{report.id}")
    assert report.flag_count == 5
    assert report.doc_date == "ngày      tháng 10 năm 2025"
    figures = {f.key: f for f in db.session.scalars(select(PaperFigure))}
    assert figures["dossiers_new_online_full"].percent_text == "80,05 %"  # exactly as typed
    assert figures["dossiers_new_online_full"].percent == "80.05"
    assert figures["dossiers_new_online_full"].count is None  # never turned into a count
    assert figures["dossiers_new_total"].count == 687
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "paper_report.create"))
    assert event.after["figures"]["dossiers_new_in_person"] == {"percent": "19,95",
                                                                "base_key": "dossiers_new_total"}
    assert event.commune_id == plan.commune.id

    page = client.get(f"/province/paper/{report.id}").get_data(as_text=True)
    assert page.count('class="paper-flag ') == 5
    assert "190,16%" in page
    assert "762 = 266 + 496" in page
    assert 'value="80,05 %"' in page  # the form shows what was typed
    listing = client.get("/province/paper").get_data(as_text=True)
    assert plan.commune.name in listing
    assert "<strong class=\"paper-flagged\">5</strong>" in listing


def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(client, login, plan, province_secretary,
                                                                  db):
    login("vptinh")
    response = client.post("/province/paper/new", data=_form(plan, **{
        "dossiers_new_total-count": "68,7", "dossiers_new_in_person-percent": "mười"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="dossiers_new_total-count-error"' in page
    assert 'id="dossiers_new_in_person-percent-error"' in page
    assert 'value="68,7"' in page
    assert 'value="mười"' in page
    assert db.session.scalar(select(PaperReport)) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("paper_report.%"))) is None


def test_correcting_the_keying_replaces_the_figures_and_is_audited(client, login, plan, province_secretary,
                                                                  db):
    login("vptinh")
    client.post("/province/paper/new", data=_form(plan))
    report = db.session.scalar(select(PaperReport))
    fixed = _form(plan, **{"dossiers_new_online_partial-percent": "", "dossiers_new_online_partial-base": "",
                           "dossiers_new_in_person-percent": "", "dossiers_new_in_person-base": "",
                           "dossiers_new_online_full-percent": "", "dossiers_new_online_full-base": ""})
    assert client.post(f"/province/paper/{report.id}", data=fixed).status_code == 302
    db.session.expire_all()
    assert db.session.get(PaperReport, report.id).flag_count == 0
    assert {f.key for f in db.session.scalars(select(PaperFigure))} == {
        "tthc_online_full", "tthc_partial_or_in_person", "dossiers_new_total"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "paper_report.update"))
    assert event.before["flags"] == 5
    assert event.after["flags"] == 0


def test_province_leaders_read_but_do_not_key(client, login, plan, db, data_app):
    create_user(db.session, province=plan.commune.province, username="ldtinh", password=PASSWORD,
                role="leader", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    login("ldtinh")
    assert client.get("/province/paper").status_code == 200
    assert client.post("/province/paper/new", data=_form(plan)).status_code == 403
    assert db.session.scalar(select(PaperReport)) is None


def test_another_provinces_secretary_neither_reads_nor_changes_a_report(app, client, login, plan,
                                                                         province_secretary, db, data_app):
    login("vptinh")
    client.post("/province/paper/new", data=_form(plan))
    report = db.session.scalar(select(PaperReport))
    other = Province(code="kon-tum", name="Tỉnh Kon Tum")
    db.session.add(other)
    db.session.flush()
    db.session.add(Commune(code="xa-khac", name="Xã Khác", province_id=other.id))
    create_user(db.session, province=other, username="vp.khac", password=PASSWORD, role="secretary",
                hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    outsider = app.test_client()
    assert outsider.post("/login", data={"username": "vp.khac", "password": PASSWORD}).status_code == 302
    assert outsider.get(f"/province/paper/{report.id}").status_code == 404
    assert outsider.post(f"/province/paper/{report.id}", data=_form(plan)).status_code == 404
    assert plan.commune.name not in outsider.get("/province/paper").get_data(as_text=True)
    # nor can it key a report for a commune of another province
    refused = outsider.post("/province/paper/new", data=_form(plan))
    assert refused.status_code == 422
    assert 'id="commune_id-error"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PaperReport)) == 1


@pytest.mark.parametrize("field", ["tthc_total-count", "dossiers_new_total-percent",
                                   "dossiers_new_total-base", "dossiers_new_total-base_number",
                                   "commune_id", "kind", "start_date", "doc_number"])
@pytest.mark.parametrize("value", ["9" * 40, "<script>alert(1)</script>", "1e400", "-1", "\u0000",
                                   "x" * 5000])
def test_hostile_input_is_refused_not_a_500(client, login, plan, province_secretary, db, field, value):
    login("vptinh")
    answer = client.post("/province/paper/new", data=_form(plan, **{field: value}))
    # 400: the app's input guard refuses control characters before any view runs
    assert answer.status_code in (302, 400, 422), answer.get_data(as_text=True)[:300]
    if answer.status_code != 302:
        assert "<script>alert(1)</script>" not in answer.get_data(as_text=True)
        assert db.session.scalar(select(PaperReport)) is None

"""Read models behind the pages: overview filters and ordering."""

from datetime import date

from tests.conftest import PASSWORD
from tracker.domain.entries import EntryInput
from tracker.domain.status import COLOUR_ORDER
from tracker.services.progress import log_progress
from tracker.services.views import OverviewFilter, build_overview

AS_OF = date(2025, 11, 3)


def log_two(db, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    log_progress(db.session, head, item("MT01"), EntryInput(as_of=date(2025, 10, 30), value=25),
                 today=AS_OF)
    log_progress(db.session, head, item("NV03"), EntryInput(as_of=date(2025, 6, 30), state="in_progress",
                                                            percent=80), today=AS_OF)
    db.session.commit()


def test_filters_narrow_and_count(db, plan, make_user, item):
    log_two(db, make_user, item)
    everything = build_overview(db.session, plan, AS_OF)
    assert len(everything.targets) == 16
    assert len(everything.tasks) == 11
    red = build_overview(db.session, plan, AS_OF, OverviewFilter(colour="red"))
    assert [r.code for r in red.tasks] == ["NV03"]
    assert red.targets == []
    assert red.counts == everything.counts, "the counts describe the whole plan, like its chart"
    assert red.counts["red"] == 1
    unit = build_overview(db.session, plan, AS_OF, OverviewFilter(unit="UBND"))
    assert {r.lead_unit.code for r in unit.targets + unit.tasks} == {"UBND"}
    assert [r.code for r in unit.targets + unit.tasks] == ["MT16", "NV09", "NV10"]
    early = build_overview(db.session, plan, AS_OF, OverviewFilter(group=everything.groups[0]))
    assert [r.code for r in early.tasks] == ["NV03", "NV01", "NV02"]  # red first, then plan order
    stale = build_overview(db.session, plan, AS_OF, OverviewFilter(stale=True))
    assert [r.code for r in stale.tasks] == ["NV03"]


def test_attention_first_ordering(db, plan, make_user, item):
    log_two(db, make_user, item)
    page = build_overview(db.session, plan, AS_OF, OverviewFilter(attention_first=True))
    colours = [r.status.colour for r in page.tasks]
    assert colours[0] == "red"
    assert colours == sorted(colours, key=COLOUR_ORDER.index), "red, amber, grey, then green"
    assert colours[-2:] == ["green", "green"]  # NV01, NV02: done per the plan's document, last
    assert build_overview(db.session, plan, AS_OF).tasks == page.tasks, "attention first by default"
    in_plan = build_overview(db.session, plan, AS_OF, OverviewFilter(attention_first=False))
    assert [r.code for r in in_plan.tasks] == sorted(r.code for r in page.tasks)


def test_filtered_overview_fragment(client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    fragment = client.get("/plan?unit=UBND&as_of=2025-11-03", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "overview-items" in fragment.text
    assert "MT16" in fragment.text
    assert "MT01" not in fragment.text
    full = client.get("/plan?unit=UBND", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in full.text


def test_latest_entries_newest_first(db, plan, make_user, item):
    log_two(db, make_user, item)
    page = build_overview(db.session, plan, AS_OF)
    # Then the plan's own entries (NV02, NV01: done per the document), recorded when it was seeded;
    # NV03's is corrected by the unit's later entry of the same date.
    assert [row.code for row, _ in page.latest] == ["NV03", "MT01", "NV02", "NV01"]
    later = build_overview(db.session, plan, date(2025, 7, 1))
    assert [row.code for row, _ in later.latest] == ["NV03", "NV02", "NV01"], "none after as_of"


def test_units_and_people_are_listed_in_vietnamese_alphabetical_order(db, plan, make_user, client):
    lead_units = [u.name for u in build_overview(db.session, plan, AS_OF).units]
    assert lead_units == ["Đảng bộ Công an xã", "Phòng Văn hóa - Xã hội",
                          "Trung tâm Phục vụ hành chính công xã",
                          "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Ủy ban nhân dân xã Ngọk Bay",
                          "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"]
    for username, full_name in (("b", "Đặng Văn Bình"), ("a", "Ưng Thị Ánh"), ("c", "Dương Văn Cường"),
                                ("d", "Trần Minh Đức")):
        make_user(username, "unit_head", "TTHCC").full_name = full_name
    db.session.commit()
    client.post("/login", data={"username": "a", "password": PASSWORD})
    page = client.get("/units/TTHCC").text.split("Cán bộ sử dụng hệ thống")[1]
    names = ("Ưng Thị Ánh", "Đặng Văn Bình", "Dương Văn Cường", "Trần Minh Đức")
    order = [page.index(name) for name in names]
    assert order == sorted(order), "people by given name (Ánh, Bình, Cường, Đức), then family name"

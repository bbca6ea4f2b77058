"""Whatever number the interfaces accept, every page, document, API answer and nightly job still answers.

This is the proof that one figure cannot take a commune and its province down again (issue 12,
finding 1). Hypothesis generates figures across the four measure kinds (count, percent, ratio,
milestone and task progress) within the documented ranges (``tracker.domain.bounds``), submits them
through every entry channel (the item form, the unit's batch form, the API; the statistics and
finance forms, the statistics API and the XLSX import; the plan seed file) and then visits every
page of the commune and the province, the API, the period and province documents and runs the
nightly jobs (``tests.whole_app``). Values just outside the ranges are refused and change nothing.

The number of examples is small so the file stays within about 40 s per database.
"""

from __future__ import annotations

import io
import json
import math
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import LOGGED, SEED_FILE
from tests.whole_app import ITEMS, WholeApp
from tracker.domain.bounds import MAX_AMOUNT, MAX_COUNT, MAX_FIGURE, MAX_PERCENT
from tracker.domain.plan_template import seed_document
from tracker.domain.seed_file import SeedError, parse_plan_seed
from tracker.domain.stats import FIELD_NAMES, FINANCE_FIELDS
from tracker.models import FinanceFigures, ProcedureStats, ProgressEntry, ReportingPeriod, Target
from tracker.services.seeding import load_plan_seed, read_plan_seed

AS_OF = "2025-11-15"
FEW = settings(max_examples=6, deadline=None, database=None, derandomize=True,
               suppress_health_check=list(HealthCheck))


def amounts(high: float) -> st.SearchStrategy[float]:
    """Numbers from 0 to ``high``, with the ends and whole numbers drawn often."""
    return st.one_of(st.sampled_from([0.0, float(high)]), st.integers(0, int(high)).map(float),
                     st.floats(0, high, allow_nan=False, allow_infinity=False))


@st.composite
def ratio(draw) -> dict[str, float]:
    denominator = draw(st.one_of(st.just(float(MAX_FIGURE)), st.floats(min_value=0, max_value=MAX_FIGURE,
                                                                          exclude_min=True)))
    numerator = draw(st.one_of(st.just(denominator), st.floats(0, denominator)))
    return {"numerator": numerator, "denominator": denominator}


PROGRESS = st.one_of(st.just({"state": "done", "percent": 100.0}),
                     st.builds(lambda state, percent: {"state": state, "percent": percent},
                               st.sampled_from(["not_started", "in_progress", "blocked"]),
                               amounts(MAX_PERCENT)))
# One accepted figure for each kind of item (the keys of ITEMS).
FIGURES = st.fixed_dictionaries({
    "count": amounts(MAX_FIGURE).map(lambda v: {"value": v}),
    "percent": amounts(MAX_PERCENT).map(lambda v: {"value": v}),
    "ratio": ratio(),
    "milestone": PROGRESS,
    "task": PROGRESS,
})


def typed(number: float) -> str:
    """A number as a person types it in the form: digits, decimal comma, no exponent."""
    return format(Decimal(repr(number)), "f").replace(".", ",")


def count_rows(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def whole(app, db, plan, week, make_user, data_app, monkeypatch) -> WholeApp:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # a crash must answer 500, not raise
    return WholeApp.build(app, db, plan, week, make_user, data_app)


# -- item figures: the item form, the unit's batch form, the API ------------------------------------


def submit_items(whole: WholeApp, channel: str, figures: dict[str, dict]) -> list[str]:
    """Send one figure per item through ``channel``; return what was not accepted.

    The unit head of TTHCC logs on what the unit leads; the milestone (led by VP) goes through the
    commune admin, who may log on any item, except on the unit head's batch desk."""
    def shown(name: str, value):
        return value if name == "state" else typed(value)

    if channel == "batch":
        form = {"as_of": AS_OF}
        for kind, code in ITEMS.items():
            if kind != "milestone":
                form.update({f"{code}-{name}": shown(name, value) for name, value in figures[kind].items()})
        answer = whole.head.post("/my/entries", data=form)
        return [] if answer.status_code == 302 else [f"batch → {answer.status_code}: {answer.text[:300]}"]
    refused = []
    for kind, code in ITEMS.items():
        if not figures.get(kind):
            continue
        if channel == "form":
            client = whole.admin if kind == "milestone" else whole.head
            answer = client.post(f"/items/{code}/entries",
                                 data={"as_of": AS_OF, **{n: shown(n, v) for n, v in figures[kind].items()}})
            ok = answer.status_code == 302
        else:
            headers = whole.admin_api_headers if kind == "milestone" else whole.api_headers
            answer = whole.head.post(f"/api/v1/items/{code}/entries", json={"as_of": AS_OF, **figures[kind]},
                                     headers=headers)
            ok = answer.status_code == 201
        if not ok:
            refused.append(f"{channel} {code} {figures[kind]} → {answer.status_code}: {answer.text[:300]}")
    return refused


PDF_ROUNDS = count()


@given(channel=st.sampled_from(["form", "api", "batch"]), figures=FIGURES)
@settings(FEW, max_examples=4)
def check_item_figures(whole: WholeApp, channel: str, figures: dict[str, dict]) -> None:
    assert submit_items(whole, channel, figures) == []
    # The PDFs (WeasyPrint, a second or more each) once per run; the HTML they print every time.
    assert whole.failures(png=False, pdf=next(PDF_ROUNDS) == 0) == []


def test_any_accepted_item_figure_leaves_everything_answering(whole):
    check_item_figures(whole)


# -- period figures: the forms, the statistics API, the XLSX import ----------------------------------


def consistent_stats(tthc: int, dossiers: int) -> dict[str, int]:
    """Statistics that break no hard rule (parts never exceed their whole); sums are explained."""
    stats = {name: dossiers for name in FIELD_NAMES}
    stats.update({name: tthc for name in FIELD_NAMES if name.startswith("tthc_")})
    stats["tthc_total"] = stats["tthc_published"] = stats["tthc_boundary_free"] = 3 * tthc
    return stats


PERIOD_FIGURES = st.fixed_dictionaries({
    "tthc": st.one_of(st.sampled_from([0, MAX_COUNT // 3]), st.integers(0, MAX_COUNT // 3)),
    "dossiers": st.one_of(st.sampled_from([0, MAX_COUNT]), st.integers(0, MAX_COUNT)),
    "money": st.one_of(st.sampled_from([0, MAX_AMOUNT]), st.integers(0, MAX_AMOUNT)),
})
EXPLAINED = "Số liệu kiểm thử: các tổng không khớp là cố ý."


def submit_period(whole: WholeApp, db, channel: str, figures: dict[str, int]) -> list[str]:
    stats = consistent_stats(figures["tthc"], figures["dossiers"])
    money = dict.fromkeys(FINANCE_FIELDS, figures["money"])
    page = f"/reports/{whole.period.id}"
    answers = []
    if channel == "form":
        version = lambda: db.session.get(ReportingPeriod, whole.period.id).version  # noqa: E731
        db.session.expire_all()
        answers.append(whole.secretary.post(f"{page}/stats", data={
            **{k: typed(v) for k, v in stats.items()}, "override_explanation": EXPLAINED,
            "version": version()}))
        db.session.expire_all()
        answers.append(whole.secretary.post(f"{page}/finance", data={
            **{k: typed(v) for k, v in money.items()}, "version": version()}))
        ok = [a.status_code == 302 for a in answers]
    elif channel == "api":
        url = f"/api/v1/periods/{whole.period.id}/stats"
        headers = versioned_headers(whole, url)
        answers.append(whole.secretary.put(url, json={**stats, "override_explanation": EXPLAINED},
                                           headers=headers))
        ok = [a.status_code == 200 for a in answers]
    else:
        book = load_workbook(io.BytesIO(whole.secretary.get(f"{page}/report.xlsx").data))
        sheet = book["Số liệu"]
        values = {**stats, **money, "override_explanation": EXPLAINED}
        for row in sheet.iter_rows():
            if row[0].value in values:
                row[3].value = values[row[0].value]
        buffer = io.BytesIO()
        book.save(buffer)
        answers.append(whole.secretary.post("/reports/import", data={"file": (io.BytesIO(buffer.getvalue()),
                                                                              "so-lieu.xlsx")},
                                            content_type="multipart/form-data"))
        ok = [a.status_code == 200 for a in answers]
    return [f"{channel} → {a.status_code}: {a.text[:300]}" for a, good in zip(answers, ok, strict=True)
            if not good]


@given(channel=st.sampled_from(["form", "api", "xlsx"]), figures=PERIOD_FIGURES)
@settings(FEW, max_examples=3)
def check_period_figures(whole: WholeApp, db, channel: str, figures: dict[str, int]) -> None:
    assert submit_period(whole, db, channel, figures) == []
    assert whole.failures(png=False, pdf=False, jobs=False) == []


def test_any_accepted_period_figure_leaves_everything_answering(whole, db):
    check_period_figures(whole, db)


# -- the plan seed file: targets and baselines --------------------------------------------------------


@given(count=st.tuples(amounts(MAX_FIGURE), amounts(MAX_FIGURE)),
       share=st.tuples(amounts(MAX_PERCENT), amounts(MAX_PERCENT)))
@settings(FEW, max_examples=2)
def check_seed_targets(whole: WholeApp, db, count, share) -> None:
    document = seed_document(read_plan_seed(SEED_FILE))
    for target in document["targets"]:
        if target["code"] == ITEMS["count"]:
            target["target"], target["baseline"] = count
        elif target["code"] == ITEMS["ratio"]:
            target["target"], target["baseline"] = share
    load_plan_seed(db.session, parse_plan_seed(document, "kiem-thu.yaml"))
    db.session.commit()
    assert whole.failures(documents=False, png=False) == []


def test_any_accepted_seed_target_leaves_everything_answering(whole, db):
    submit_items(whole, "api", {"count": {"value": 5.0}, "percent": {"value": 5.0},
                                "ratio": {"numerator": 1.0, "denominator": 2.0},
                                "milestone": {}, "task": {"state": "in_progress", "percent": 5.0}})
    check_seed_targets(whole, db)


# -- just outside the ranges: refused, nothing changes ------------------------------------------------

ABOVE = math.nextafter(float(MAX_FIGURE), math.inf)
OUTSIDE = {
    "count": st.sampled_from([{"value": v} for v in (ABOVE, 1e26, 1.7976931348623157e308, -1e-300)]),
    "percent": st.sampled_from([{"value": v} for v in (math.nextafter(100.0, math.inf), 1e26, -0.01)]),
    "ratio": st.sampled_from([{"numerator": 1.0, "denominator": ABOVE},
                              {"numerator": 1e26, "denominator": 1e26},
                              {"numerator": 0.0, "denominator": 0.0},
                              {"numerator": 2.0, "denominator": 1.0}]),
    "task": st.sampled_from([{"state": "in_progress", "percent": v}
                             for v in (math.nextafter(100.0, math.inf), -1e-300, 1e26)]),
}
# Bodies the JSON parser reads but no figure may be: NaN, infinities, integers beyond any float.
RAW_BODIES = [b'{"as_of": "%s", "value": %s}' % (AS_OF.encode(), token)
              for token in (b"NaN", b"Infinity", b"-Infinity", b"1e400", b"1" + b"0" * 400,
                            b"1.7976931348623157e308")]


@given(kind=st.sampled_from(sorted(OUTSIDE)), channel=st.sampled_from(["form", "api"]), data=st.data())
@settings(FEW, max_examples=8)
def check_outside(whole: WholeApp, db, kind: str, channel: str, data) -> None:
    figures = data.draw(OUTSIDE[kind])
    before = count_rows(db, ProgressEntry)
    code = ITEMS[kind]
    if channel == "form":
        answer = whole.head.post(f"/items/{code}/entries", data={
            "as_of": AS_OF, **{k: v if k == "state" else typed(v) for k, v in figures.items()}})
    else:
        answer = whole.head.post(f"/api/v1/items/{code}/entries", json={"as_of": AS_OF, **figures},
                                 headers=whole.api_headers)
    assert answer.status_code in (400, 422), (figures, answer.status_code, answer.text[:300])
    assert count_rows(db, ProgressEntry) == before


def test_values_just_outside_the_ranges_are_refused_and_change_nothing(whole, db):
    check_outside(whole, db)
    for body in RAW_BODIES:
        answer = whole.head.post(f"/api/v1/items/{ITEMS['count']}/entries", data=body,
                                 headers={**whole.api_headers, "Content-Type": "application/json"})
        assert answer.status_code in (400, 422), (body, answer.status_code)
        assert "value" in answer.json["fields"]
    # A typed number beyond any float is refused by the form.
    answer = whole.head.post(f"/items/{ITEMS['count']}/entries", data={"as_of": AS_OF, "value": "1e400"})
    assert answer.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED)) == 0


def versioned_headers(whole, url: str) -> dict[str, str]:
    """The secretary's API headers with the period's current ETag as If-Match (saves require it)."""
    etag = whole.secretary.get(url, headers=whole.secretary_api_headers).headers["ETag"]
    return {**whole.secretary_api_headers, "If-Match": etag}


def test_period_figures_just_outside_are_refused_and_change_nothing(whole, db):
    page = f"/reports/{whole.period.id}"
    over = {"dossiers_new_total": typed(MAX_COUNT + 1), "override_explanation": EXPLAINED}
    assert whole.secretary.post(f"{page}/stats", data=over).status_code == 422
    for estimate in (typed(MAX_AMOUNT + 1), "1e400"):
        assert whole.secretary.post(f"{page}/finance", data={"estimate": estimate}).status_code == 422
    url = f"/api/v1/periods/{whole.period.id}/stats"
    for value in (MAX_COUNT + 1, 10**400):
        headers = {**versioned_headers(whole, url), "Content-Type": "application/json"}
        answer = whole.secretary.put(url, data=json.dumps({"dossiers_new_total": value}), headers=headers)
        assert answer.status_code in (400, 422), (value, answer.status_code)
        assert "dossiers_new_total" in answer.json["fields"], answer.json
    book = load_workbook(io.BytesIO(whole.secretary.get(f"{page}/report.xlsx").data))
    sheet = book["Số liệu"]
    for row in sheet.iter_rows():
        if row[0].value == "dossiers_new_total":
            row[3].value = MAX_COUNT + 1
        elif row[0].value == "estimate":
            row[3].value = 1e300
    buffer = io.BytesIO()
    book.save(buffer)
    answer = whole.secretary.post("/reports/import", data={"file": (io.BytesIO(buffer.getvalue()), "a.xlsx")},
                                  content_type="multipart/form-data")
    assert answer.status_code == 422
    assert count_rows(db, ProcedureStats) == 0
    assert count_rows(db, FinanceFigures) == 0


@pytest.mark.parametrize(("code", "key", "value"), [
    (ITEMS["count"], "target", math.nextafter(float(MAX_FIGURE), math.inf)),
    (ITEMS["count"], "baseline", 10**400),
    (ITEMS["count"], "target", 10**5000),
    (ITEMS["count"], "target", math.inf),
    (ITEMS["count"], "target", math.nan),
    (ITEMS["count"], "baseline", -1e-300),
    (ITEMS["ratio"], "target", math.nextafter(100.0, math.inf)),
    (ITEMS["ratio"], "baseline", 100.5),
    (ITEMS["percent"], "baseline", 1e26),
], ids=["count-target-above", "count-baseline-10^400", "count-target-10^5000", "count-target-inf",
        "count-target-nan", "count-baseline-negative", "ratio-target-above", "ratio-baseline-above",
        "percent-baseline-1e26"])
def test_seed_targets_just_outside_are_refused(db, plan, code, key, value):
    document = seed_document(read_plan_seed(SEED_FILE))
    target = next(t for t in document["targets"] if t["code"] == code)
    target[key] = value
    with pytest.raises(SeedError) as refused:
        parse_plan_seed(document, "kiem-thu.yaml")
    assert any(code in problem and key in problem for problem in refused.value.problems)
    db.session.expire_all()
    assert db.session.scalar(select(Target.target_value).where(Target.code == code)) != value


def test_the_seed_file_channel_reads_yaml_extremes(db, plan):
    # PyYAML reads ".inf" and a 400-digit integer; neither is a number a target may have.
    import yaml

    text = SEED_FILE.read_text(encoding="utf-8")
    for token in (".inf", "-.inf", ".nan", "1" + "0" * 400):
        data = yaml.safe_load(text.replace("target: 25\n", f"target: {token}\n", 1))
        with pytest.raises(SeedError):
            parse_plan_seed(data, "ngok_bay.yaml")

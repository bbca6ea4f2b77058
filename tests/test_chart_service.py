"""The chart service: which values are plotted, the words beside them, fingerprints, the cache."""

import random
from datetime import date, timedelta

from tracker.domain.entries import EntryInput
from tracker.services import progress
from tracker.services.charts import Chart, ChartCache, colours_of, item_trend, trend_days, trend_of
from tracker.services.progress import MAX_TREND_DAYS, item_entries, log_progress

AS_OF = date(2025, 11, 3)
TODAY = date(2025, 12, 1)


def log(db, head, item, day, **figures):
    entry = log_progress(db.session, head, item, EntryInput(as_of=day, **figures), today=TODAY)
    db.session.commit()
    return entry


def points(chart):
    return list(chart.draw.keywords["points"])


def test_plotted_values_are_the_ones_current_at_each_week_end(db, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt01 = item("MT01")
    wrong = log(db, head, mt01, date(2025, 9, 1), value=52)
    log_progress(db.session, head, mt01, EntryInput(as_of=date(2025, 9, 1), value=25, reason="Nhập nhầm"),
                 today=TODAY, supersedes=wrong)
    log(db, head, mt01, date(2025, 10, 1), value=30)
    log(db, head, mt01, date(2025, 10, 1), value=31)  # recorded later the same day: it wins
    log(db, head, mt01, date(2025, 10, 7), value=33)  # Tuesday: the week's last figure is plotted
    log(db, head, mt01, date(2025, 10, 9), value=34)
    chart = item_trend(db.session, mt01, AS_OF)
    assert points(chart) == [(date(2025, 9, 1), 25), (date(2025, 10, 1), 31), (date(2025, 10, 9), 34)]
    assert chart.text.startswith("Giá trị thực tế 34 dịch vụ ngày 09/10/2025 (5 lần cập nhật, lần đầu 25 ")
    assert chart == trend_of(mt01, item_entries(db.session, mt01), AS_OF)


def test_a_superseded_date_disappears(db, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt01 = item("MT01")
    log(db, head, mt01, date(2025, 9, 1), value=10)
    wrong = log(db, head, mt01, date(2025, 10, 1), value=52)
    log_progress(db.session, head, mt01, EntryInput(as_of=date(2025, 9, 15), value=12, reason="Sai ngày"),
                 today=TODAY, supersedes=wrong)
    assert points(item_trend(db.session, mt01, AS_OF)) == [(date(2025, 9, 1), 10), (date(2025, 9, 15), 12)]
    # Looked at before the correction was dated, the wrong figure stood.
    assert points(item_trend(db.session, mt01, date(2025, 10, 2))) == [
        (date(2025, 9, 1), 10), (date(2025, 9, 15), 12)]
    assert points(item_trend(db.session, mt01, date(2025, 9, 14))) == [(date(2025, 9, 1), 10)]


def test_trend_days_are_one_a_week():
    assert trend_days(None, AS_OF) == []
    assert trend_days(date(2025, 11, 4), AS_OF) == []
    assert trend_days(AS_OF, AS_OF) == [AS_OF]
    # Wednesday 15 October to Monday 3 November: the first day, each Sunday, as_of.
    assert trend_days(date(2025, 10, 15), AS_OF) == [
        date(2025, 10, 15), date(2025, 10, 19), date(2025, 10, 26), date(2025, 11, 2), AS_OF]
    assert trend_days(date(2025, 10, 19), date(2025, 10, 26)) == [date(2025, 10, 19), date(2025, 10, 26)]
    assert len(trend_days(date(2021, 1, 1), date(2025, 12, 31))) <= MAX_TREND_DAYS  # five years weekly
    ten_years = trend_days(date(2015, 1, 1), date(2025, 12, 31))
    assert len(ten_years) <= MAX_TREND_DAYS
    assert ten_years[-1] == date(2025, 12, 31)


def test_the_trend_reads_one_row_a_week_however_long_the_history(db, make_user, item, monkeypatch):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt01 = item("MT01")
    first = date(2025, 6, 20)
    for n in range(300):  # a figure every day
        log_progress(db.session, head, mt01, EntryInput(as_of=first + timedelta(days=n), value=n % 25),
                     today=date(2026, 6, 1))
    db.session.commit()
    read = []
    real = progress.current_on_days
    monkeypatch.setattr("tracker.services.charts.current_on_days",
                        lambda *args: read.extend(rows := real(*args)) or rows)
    chart = item_trend(db.session, mt01, first + timedelta(days=299))
    assert len(read) <= 45  # 300 days are 43 weeks: one row a week, the first day's and as_of's
    assert len(points(chart)) == len(read)
    assert "300 lần cập nhật" in chart.text
    assert chart == trend_of(mt01, item_entries(db.session, mt01), first + timedelta(days=299))


def test_the_trend_in_sql_is_the_rule_in_python(db, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt01 = item("MT01")
    rng = random.Random(8)  # noqa: S311 - a reproducible history, not a secret
    logged = []
    for _ in range(40):
        day = date(2025, 8, 1) + timedelta(days=rng.randrange(90))
        wrong = rng.choice(logged) if logged and rng.random() < 0.3 else None
        if wrong is not None and wrong.id in {e.supersedes_id for e in logged}:
            wrong = None
        figures = EntryInput(as_of=day, value=rng.randrange(30), reason="Sửa" if wrong else None)
        entry = log_progress(db.session, head, mt01, figures, today=TODAY, supersedes=wrong)
        db.session.commit()
        logged.append(entry)
    entries = item_entries(db.session, mt01)
    for as_of in [date(2025, 8, 1) + timedelta(days=n) for n in range(0, 95, 3)]:
        sql, python = item_trend(db.session, mt01, as_of), trend_of(mt01, entries, as_of)
        assert (sql.fingerprint, sql.text, points(sql)) == (python.fingerprint, python.text, points(python))


def test_trend_text_says_what_the_picture_shows(db, make_user, item, hand_ratio):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt10 = item("MT10")
    assert trend_of(mt10, [], AS_OF).text == (
        "Chưa có số liệu đến ngày 03/11/2025; yêu cầu theo tiến độ đến ngày 03/11/2025 40,98%; "
        "chỉ tiêu 60% hạn 31/12/2025; tình trạng: Chưa có số liệu.")
    log(db, head, mt10, date(2025, 9, 30), numerator=90, denominator=300)
    log(db, head, mt10, date(2025, 10, 31), numerator=170, denominator=300)
    assert trend_of(mt10, item_entries(db.session, mt10), AS_OF).text == (
        "Giá trị thực tế 56,67% ngày 31/10/2025 (2 lần cập nhật, lần đầu 30% ngày 30/09/2025); "
        "yêu cầu theo tiến độ đến ngày 03/11/2025 40,98%; chỉ tiêu 60% hạn 31/12/2025; "
        "tình trạng: Đạt / đúng tiến độ.")
    log(db, head, item("MT01"), date(2025, 10, 31), value=12)
    text = trend_of(item("MT01"), item_entries(db.session, item("MT01")), AS_OF).text
    assert text.startswith("Giá trị thực tế 12 dịch vụ ngày 31/10/2025;")
    assert "chỉ tiêu 25 dịch vụ hạn 31/12/2025" in text
    task = item("NV05")  # NV01-NV03 are done per the plan's document
    log(db, head, task, date(2025, 10, 30), state="in_progress", percent=80)
    text = trend_of(task, item_entries(db.session, task), AS_OF).text
    assert text.startswith("Tiến độ thực tế 80% ngày 30/10/2025;")
    assert "hoàn thành 100% hạn" in text


def test_fingerprint_follows_exactly_what_is_drawn(db, make_user, item, hand_ratio):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt10 = item("MT10")
    log(db, head, mt10, date(2025, 9, 30), numerator=90, denominator=300)

    def fingerprint(as_of=AS_OF):
        return trend_of(mt10, item_entries(db.session, mt10), as_of).fingerprint

    first = fingerprint()
    assert fingerprint() == first
    assert fingerprint(date(2025, 11, 4)) != first
    log(db, head, mt10, date(2025, 11, 10), numerator=100, denominator=300)
    assert fingerprint() == first, "an entry dated after the day looked at changes nothing"
    log(db, head, mt10, date(2025, 10, 31), numerator=170, denominator=300)
    assert fingerprint() != first


def test_colour_text_and_fingerprint():
    chart = colours_of({"green": 2, "red": 1}, AS_OF)
    assert chart.text == ("Toàn kế hoạch đến ngày 03/11/2025 có 3 mục: 1 chậm / quá hạn, "
                          "0 có nguy cơ chậm, 0 chưa có số liệu, 2 đạt / đúng tiến độ.")
    assert colours_of({"red": 1, "green": 2}, date(2025, 12, 1)).fingerprint == chart.fingerprint
    assert colours_of({"red": 2, "green": 1}, AS_OF).fingerprint != chart.fingerprint


def test_cache_keeps_the_most_recently_used():
    cache, drawn = ChartCache(size=2), []

    def draw(name):
        return lambda: drawn.append(name) or name.encode()

    assert cache.get_or_draw("a", draw("a")) == b"a"
    cache.get_or_draw("b", draw("b"))
    assert cache.get_or_draw("a", draw("a")) == b"a"
    cache.get_or_draw("c", draw("c"))  # evicts b, the least recently used
    cache.get_or_draw("a", draw("a"))
    cache.get_or_draw("b", draw("b"))
    assert drawn == ["a", "b", "c", "b"]


def test_render_draws_once_per_fingerprint_and_format():
    calls = []
    chart = Chart("test-fingerprint-render", "", lambda fmt: calls.append(fmt) or fmt.encode())
    assert chart.render("svg") == chart.render("svg") == b"svg"
    assert chart.render("png") == b"png"
    assert calls == ["svg", "png"]

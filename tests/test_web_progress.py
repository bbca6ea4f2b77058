"""The progress form: plain posts and htmx swaps, refusals next to the field, permissions."""

from sqlalchemy import func, select

from tests.conftest import LOGGED, PASSWORD
from tracker.models import ProgressEntry

HX = {"HX-Request": "true"}


def entries(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED))


def sign_in_head(client, make_user, unit="TTHCC"):
    make_user("head", "unit_head", unit)
    client.post("/login", data={"username": "head", "password": PASSWORD})


def test_item_page_shows_the_form_only_to_the_lead_unit(client, make_user):
    sign_in_head(client, make_user)
    assert "Cập nhật số liệu" in client.get("/items/MT02").text
    assert "Cập nhật số liệu" not in client.get("/items/MT16").text


def test_plain_post_logs_and_redirects(client, make_user, db):
    sign_in_head(client, make_user)
    answer = client.post("/items/MT02/entries", data={
        "as_of": "2025-10-01", "value": "74", "note": "Theo quyết định", "doc_number": "119/QĐ-UBND"})
    assert answer.status_code == 302
    assert entries(db) == 1
    page = client.get(answer.headers["Location"]).text
    assert "Đã ghi nhận MT02: " in page, "the confirmation says what changed (issue 14)"
    assert "(ngày 01/10/2025)." in page
    assert "119/QĐ-UBND" in page


def test_htmx_post_returns_the_fragment(client, make_user, db, hand_ratio):
    sign_in_head(client, make_user)
    answer = client.post("/items/MT10/entries", headers=HX, data={
        "as_of": "2025-10-31", "numerator": "170", "denominator": "300"})
    assert answer.status_code == 200
    assert "<html" not in answer.text
    assert 'class="item-live"' in answer.text
    assert "56,67% (170/300)" in answer.text, "a ratio worded as everywhere else (figure_text.ratio_text)"
    assert 'id="trend-chart" hx-swap-oob="true"' in answer.text
    assert "HX-Request" in answer.headers["Vary"]


def test_refusal_is_shown_next_to_the_field_and_saves_nothing(client, make_user, db, hand_ratio):
    sign_in_head(client, make_user)
    answer = client.post("/items/MT10/entries", headers=HX, data={
        "as_of": "2025-10-31", "numerator": "400", "denominator": "300", "note": "<script>x</script>"})
    assert answer.status_code == 422
    assert "Tử số (400) không được lớn hơn mẫu số (300)." in answer.text
    assert "<script>x</script>" not in answer.text
    assert "&lt;script&gt;" in answer.text, "the typed note is kept, escaped"
    garbage = client.post("/items/MT02/entries", data={"as_of": "hôm qua", "value": "bảy mươi"})
    assert garbage.status_code == 422
    assert "Ngày &#39;hôm qua&#39; không hợp lệ: hãy viết theo dạng ngày/tháng/năm" in garbage.text
    assert entries(db) == 0


def test_task_state_form(client, make_user, db):
    sign_in_head(client, make_user)
    answer = client.post("/items/NV05/entries", data={"as_of": "2025-10-15", "state": "done",
                                                      "percent": "60"})
    assert answer.status_code == 422
    assert "phần trăm phải là 100" in answer.text
    ok = client.post("/items/NV05/entries", data={"as_of": "2025-10-15", "state": "done", "percent": "100"})
    assert ok.status_code == 302


def test_other_units_item_is_forbidden_and_unchanged(client, make_user, db):
    sign_in_head(client, make_user, unit="KT")
    answer = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74"})
    assert answer.status_code == 403
    garbage = client.post("/items/MT02/entries", data={"as_of": "x", "value": "y"})
    assert garbage.status_code == 403
    assert "Cập nhật số liệu" not in garbage.text
    assert client.post("/items/XX01/entries", data={}).status_code == 404
    assert entries(db) == 0


def test_readers_cannot_post(client, make_user, db):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    assert client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "1"}).status_code == 403
    assert entries(db) == 0


def test_correction_of_an_unknown_entry_is_refused(client, make_user, db):
    sign_in_head(client, make_user)
    answer = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                      "supersedes": "999", "reason": "sửa"})
    assert answer.status_code == 422
    assert "Không tìm thấy số liệu cần điều chỉnh." in answer.text
    assert entries(db) == 0


def test_correction_journey(client, make_user, db):
    sign_in_head(client, make_user)
    client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "1.074"})
    wrong = db.session.scalar(select(ProgressEntry).where(LOGGED))
    form = client.get(f"/items/MT02?correct={wrong.id}")
    # The entry is named by its date and author, never by its internal number (issue 14, point 9).
    heading = "Điều chỉnh số liệu ngày 01/10/2025 do head nhập"
    assert heading in form.text
    assert 'value="1.074"' in form.text, "the form starts from the entry's figures"
    no_reason = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                          "supersedes": str(wrong.id)})
    assert no_reason.status_code == 422
    assert "Nêu lý do điều chỉnh." in no_reason.text
    assert heading in no_reason.text
    fixed = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                      "supersedes": str(wrong.id), "reason": "Gõ thừa số 1"})
    assert fixed.status_code == 302
    page = client.get("/items/MT02").text
    assert "Đã được điều chỉnh bởi head lúc" in page, "a sentence begins with a capital (issue 14)"
    assert "Gõ thừa số 1" in page
    assert entries(db) == 2
    again = client.get(f"/items/MT02?correct={wrong.id}")
    assert heading not in again.text, "a corrected entry cannot be corrected twice"


def test_readers_see_no_correction_links(client, make_user, db, app):
    sign_in_head(client, make_user)
    client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74"})
    make_user("bithu", "leader", "TTDU")
    leader = app.test_client()
    leader.post("/login", data={"username": "bithu", "password": PASSWORD})
    entry_id = db.session.scalar(select(ProgressEntry.id).where(LOGGED))
    page = leader.get(f"/items/MT02?correct={entry_id}").text
    assert "Điều chỉnh số liệu" not in page
    assert ">Điều chỉnh</a>" not in page


def test_correction_of_an_impossible_entry_id_is_refused(client, make_user, db):
    sign_in_head(client, make_user)
    answer = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                      "supersedes": "9" * 30, "reason": "sửa"})
    assert answer.status_code == 422, "not a database error"
    assert "Không tìm thấy số liệu cần điều chỉnh." in answer.text
    assert entries(db) == 0


def test_an_item_code_no_database_accepts_is_refused(client, make_user):
    """A NUL in the path is refused by the request guard (400) before any lookup; it used to reach
    the lookup and answer 404 (issue 12 #11 moved the refusal up front, for every path)."""
    sign_in_head(client, make_user)
    for path in ("/items/MT%0002", "/units/K%00T"):
        answer = client.get(path)
        assert answer.status_code == 400
        assert "ký tự không được phép" in answer.text


def test_a_percent_may_be_typed_with_its_sign_and_examples_fit_the_field(client, make_user, db):
    """Issue 14 point 12: "70%" was refused with the example "1.234,5"."""
    sign_in_head(client, make_user)
    percent_target = client.post("/items/MT05/entries", data={"as_of": "2025-10-01", "value": "70%"})
    assert percent_target.status_code == 302, percent_target.text
    task = client.post("/items/NV05/entries", data={"as_of": "2025-10-15", "state": "in_progress",
                                                    "percent": "70,5 %"})
    assert task.status_code == 302, task.text
    assert sorted(db.session.scalars(select(ProgressEntry.value).where(LOGGED)).all(), key=str) == [70, None]
    logged_percent = select(ProgressEntry.percent).where(LOGGED, ProgressEntry.percent.is_not(None))
    assert db.session.scalar(logged_percent) == 70.5
    count = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "70%"})
    assert count.status_code == 422, "a count is not a percentage"
    word = client.post("/items/NV05/entries", data={"as_of": "2025-10-15", "state": "in_progress",
                                                    "percent": "bảy mươi"})
    assert "(ví dụ: 70,5%)" in word.text

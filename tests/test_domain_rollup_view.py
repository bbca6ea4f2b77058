"""Search, sort and filter of the province roll-up, without HTTP or a database."""

from dataclasses import dataclass

import pytest

from tracker.domain.rollup_view import RollupView, ViewArgumentError, fold, parse_view, select_rows
from tracker.domain.status import AMBER, COLOUR_ORDER, GREEN, GREY, RED


@dataclass(frozen=True)
class C:
    name: str
    code: str


@dataclass(frozen=True)
class S:
    colour: str
    actual: float | None = None


@dataclass(frozen=True)
class R:
    commune: C
    cells: dict

    @property
    def counts(self):
        counts = dict.fromkeys(COLOUR_ORDER, 0)
        for status in self.cells.values():
            counts[status.colour] += 1
        return counts


ROWS = [
    R(C("Xã Ngọk Bay", "ngok-bay"), {"MT01": S(RED, 3), "MT03": S(RED, 1), "MT05": S(GREEN, 9)}),
    R(C("Xã Đăk Blà", "dak-bla"), {"MT01": S(GREEN, 30), "MT03": S(AMBER, 20), "MT05": S(RED, 2)}),
    R(C("Xã Đắk Cấm", "dak-cam"), {"MT01": S(RED, 5), "MT03": S(GREY), "MT05": S(GREEN, 8)}),
    R(C("Phường Ia Kring", "ia-kring"), {"MT01": S(GREEN, 40), "MT05": S(GREEN, 10)}),
    R(C("Xã Chư Păh", "chu-pah"), {"MT01": S(AMBER, 15), "MT03": S(RED, 4)}),
]
CODES = ("MT01", "MT03", "MT05")


def names(rows):
    return [r.commune.name.split(" ", 1)[1] for r in rows]


def shown(**args):
    return names(select_rows(ROWS, parse_view(args, CODES)))


@pytest.mark.parametrize(("typed", "found"), [
    ("ngok bay", ["Ngọk Bay"]),  # no accents typed
    ("NGỌK", ["Ngọk Bay"]),
    ("dak", ["Đăk Blà", "Đắk Cấm"]),  # đ typed as d, both tones
    ("  đắk   cấm ", ["Đắk Cấm"]),  # spaces collapsed, accents typed match too
    ("ia-kring", ["Ia Kring"]),  # the commune's code
    ("xyz", []),
])
def test_search_ignores_accents_case_and_d(typed, found):
    assert shown(q=typed, sort="name") == found


def test_fold():
    assert fold("Xã Đắk  Cấm") == "xa dak cam"
    assert fold(None) == ""


def test_default_order_is_most_reds_then_the_alphabet():
    # Ngọk Bay 2 reds; Chư Păh and Đăk Blà 1 red 1 amber (alphabetical between them); Đắk Cấm 1 red 1 grey.
    assert shown() == ["Ngọk Bay", "Chư Păh", "Đăk Blà", "Đắk Cấm", "Ia Kring"]
    assert shown(order="asc")[0] == "Ia Kring"


def test_name_order_is_vietnamese():
    # The whole name ("Phường …" before "Xã …"); Đ is its own letter after D, before N (plain
    # sorted() puts it after Z); ă before â, Blà before Cấm.
    assert shown(sort="name") == ["Ia Kring", "Chư Păh", "Đăk Blà", "Đắk Cấm", "Ngọk Bay"]
    assert shown(sort="name", order="desc") == ["Ngọk Bay", "Đắk Cấm", "Đăk Blà", "Chư Păh", "Ia Kring"]


def test_sort_by_a_colour_count():
    assert shown(sort=GREEN) == ["Ia Kring", "Đăk Blà", "Đắk Cấm", "Ngọk Bay", "Chư Păh"]


def test_sort_by_a_target_worst_light_first_then_worse_value_and_missing_last():
    # MT01: red 3 (Ngọk Bay), red 5 (Đắk Cấm), amber 15, green 30, green 40.
    assert shown(sort="MT01") == ["Ngọk Bay", "Đắk Cấm", "Chư Păh", "Đăk Blà", "Ia Kring"]
    assert shown(sort="MT01", order="asc") == ["Ia Kring", "Đăk Blà", "Chư Păh", "Đắk Cấm", "Ngọk Bay"]
    # Ia Kring has no MT03: last whichever the order.
    assert shown(sort="MT03")[-1] == "Ia Kring"
    assert shown(sort="MT03", order="asc")[-1] == "Ia Kring"


def test_lower_is_better_targets_put_the_larger_value_first_among_equal_lights():
    view = parse_view({"sort": "MT01"}, CODES)
    assert names(select_rows(ROWS, view, lower_is_better={"MT01"}))[:2] == ["Đắk Cấm", "Ngọk Bay"]


def test_filters():
    assert shown(target="MT03", colour=RED) == ["Ngọk Bay", "Chư Păh"]  # where MT03 is red
    assert shown(colour=GREY) == ["Đắk Cấm"]  # at least one grey target
    assert shown(target="MT03", sort="name") == ["Chư Păh", "Đăk Blà", "Đắk Cấm", "Ngọk Bay"]  # has MT03
    assert shown(q="dak", colour=RED) == ["Đăk Blà", "Đắk Cấm"]  # search and filter together
    assert shown(target="MT05", colour=AMBER) == []


@pytest.mark.parametrize(("args", "field"), [
    ({"sort": "MT99"}, "sort"),
    ({"sort": "commune; drop"}, "sort"),
    ({"order": "up"}, "order"),
    ({"colour": "blue"}, "colour"),
    ({"target": "MT99"}, "target"),
])
def test_arguments_the_page_does_not_offer_are_refused_by_name(args, field):
    with pytest.raises(ViewArgumentError) as refused:
        parse_view(args, CODES)
    assert refused.value.field == field
    assert str(refused.value)


def test_empty_arguments_are_the_defaults_and_links_keep_the_view():
    view = parse_view({"q": "", "sort": "", "order": "", "colour": "", "target": ""}, CODES)
    assert view == RollupView()
    assert not view.filtered
    view = parse_view({"q": "dak", "colour": RED, "target": "MT03", "sort": "MT03"}, CODES)
    assert view.args() == {"q": "dak", "sort": "MT03", "colour": RED, "target": "MT03"}
    # Choosing the sorted column again reverses it; another column starts in its natural order.
    assert view.sorted_by("MT03")["order"] == "asc"
    assert "order" not in view.sorted_by("name")
    assert parse_view({"sort": "name"}, CODES).sorted_by("name")["order"] == "desc"
    assert parse_view({"q": "x" * 500}, CODES).search == "x" * 100

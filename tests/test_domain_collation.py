"""Vietnamese alphabetical order of unit, item and people names."""

import pytest

from tracker.domain.collation import person_key, sort_vietnamese, vietnamese_key

UNITS = [
    "Ủy ban nhân dân xã Ngọk Bay",
    "Đảng ủy xã Ngọk Bay",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
    "Chi bộ Trạm Y tế xã",
    "Đảng bộ Công an xã",
    "Trung tâm Phục vụ hành chính công xã",
    "Phòng Kinh tế",
    "Ban Chỉ đạo chuyển đổi số xã",
    "Phòng Văn hóa - Xã hội",
    "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
    "Đảng ủy Ủy ban nhân dân xã",
    "Công an xã",
    "Trạm y tế xã",
    "Dân quân xã",
]


def test_the_units_of_ngok_bay_in_dictionary_order():
    assert sort_vietnamese(UNITS) == [
        "Ban Chỉ đạo chuyển đổi số xã",
        "Chi bộ Trạm Y tế xã",
        "Công an xã",
        "Dân quân xã",
        "Đảng bộ Công an xã",
        "Đảng ủy Ủy ban nhân dân xã",
        "Đảng ủy xã Ngọk Bay",
        "Phòng Kinh tế",
        "Phòng Văn hóa - Xã hội",
        "Trạm y tế xã",
        "Trung tâm Phục vụ hành chính công xã",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "Ủy ban nhân dân xã Ngọk Bay",
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
    ]


@pytest.mark.parametrize(("before", "after"), [
    ("Công an", "Đảng ủy"),          # Đ is its own letter, after D, not after Z
    ("Dương", "Đào"),
    ("Trạm y tế", "Ủy ban"),
    ("Uông", "Ưng"),                 # U before Ư
    ("Ủy ban", "Ưu tiên"),
    ("an", "ăn"), ("ăn", "ân"), ("ân", "bàn"),
    ("o", "ô"), ("ô", "ơ"), ("ơ", "p"),
    ("e", "ê"), ("ê", "g"),
    ("Đà Nẵng", "Zeta"),             # plain sorted() puts Đ after Z
    ("Lê Thị Hà", "Lê Văn An"),
    ("Tổ 2", "Tổ A"),                # digits before letters
    ("Y Hoa", "Ý Lan"),              # letters first, tones only break ties
])
def test_pairs_in_order(before, after):
    assert vietnamese_key(before) < vietnamese_key(after)


def test_tones_break_ties_in_the_dictionary_order():
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sort_vietnamese(words) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_composed_and_decomposed_text_sort_alike():
    import unicodedata
    name = "Đảng ủy Ủy ban nhân dân xã"
    assert vietnamese_key(unicodedata.normalize("NFD", name)) == vietnamese_key(name)


def test_case_and_spacing():
    assert vietnamese_key("an") < vietnamese_key("An")
    assert vietnamese_key("Công  an ") == vietnamese_key("Công an")
    assert vietnamese_key(None) == vietnamese_key("")


def test_plain_sorted_is_wrong_which_is_why_this_exists():
    assert sorted(["Đảng ủy", "Ủy ban", "Văn phòng"]) != sort_vietnamese(["Đảng ủy", "Ủy ban", "Văn phòng"])
    assert sort_vietnamese(["Ủy ban", "Văn phòng", "Đảng ủy"]) == ["Đảng ủy", "Ủy ban", "Văn phòng"]


def test_people_are_listed_by_given_name_then_family_name():
    people = ["Trần Minh Đức", "Lê Thị Thu Hà", "Nguyễn Văn Thành", "A Thuận", "Y Hoa", "Đinh Quang Huy",
              "Nguyễn Thị Hà"]
    assert sorted(people, key=person_key) == ["Trần Minh Đức", "Lê Thị Thu Hà", "Nguyễn Thị Hà", "Y Hoa",
                                              "Đinh Quang Huy", "Nguyễn Văn Thành", "A Thuận"]

"""The seed file's declared schemas and its reader agree: the fields, the required ones, the bounds."""

import math
import subprocess
import sys
import textwrap
from dataclasses import fields
from datetime import datetime
from pathlib import Path

import pytest

from tests.test_seeding import problems_for, raw_seed
from tracker.domain.bounds import MAX_FIGURE, MAX_PERCENT
from tracker.domain.formatting import format_number
from tracker.domain.seed_file import CommuneSpec, PlanSpec, TargetSpec, TaskSpec, UnitSpec, parse_plan_seed
from tracker.domain.seed_schemas import (
    SEED_MODELS,
    SEED_TARGETS,
    SeedCommune,
    SeedPlan,
    SeedTask,
    SeedUnit,
    upper_bound,
)

SPECS = [(SeedCommune, CommuneSpec, {}), (SeedUnit, UnitSpec, {"role": "duty"}), (SeedPlan, PlanSpec, {}),
         *[(model, TargetSpec, {}) for model in SEED_TARGETS.values()], (SeedTask, TaskSpec, {})]
# Where each shape sits in the seed file, and the code its problems are named by.
PLACES = {SeedCommune: ("commune", None, "commune"), SeedUnit: ("units", 0, "đơn vị DU"),
          SeedPlan: ("plan", None, "plan"), SeedTask: ("tasks", 0, "nhiệm vụ NV01")}
TARGET_OF = {"count": 1, "percent": 4, "ratio": 9, "milestone": 10}  # MT02, MT05, MT10, MT11


def properties(model) -> dict:
    return model.model_json_schema()["properties"]


@pytest.mark.parametrize(("model", "spec", "renamed"), SPECS, ids=[m.__name__ for m, _, _ in SPECS])
def test_each_schema_declares_the_fields_of_its_value_object(model, spec, renamed):
    assert {renamed.get(name, name) for name in properties(model)} == {f.name for f in fields(spec)}


def test_every_model_is_listed():
    assert set(SEED_MODELS) == {model for model, _, _ in SPECS}


@pytest.mark.parametrize("model", [*PLACES, *SEED_TARGETS.values()], ids=lambda m: m.__name__)
def test_the_reader_reads_exactly_the_declared_fields(model):
    """A value no field takes (a mapping) is refused in every declared field, and only there."""
    measure = next((name for name, declared in SEED_TARGETS.items() if declared is model), None)
    section, index, where = PLACES.get(model) or ("targets", TARGET_OF[measure], None)
    data = raw_seed()
    item = data[section] if index is None else data[section][index]
    where = where or f"chỉ tiêu {item['code']}"
    declared = set(properties(model)) - {"code", "measure"}  # these two name the item and its shape
    for name in [*declared, "not_a_field"]:
        item[name] = {"a": 1}
    refused = {p.split("trường '")[1].split("'")[0] for p in problems_for(data) if f": {where}: " in p}
    assert refused == declared


@pytest.mark.parametrize("measure", list(SEED_TARGETS))
def test_the_measure_decides_the_bound_the_reader_applies(measure):
    model = SEED_TARGETS[measure]
    high = MAX_PERCENT if measure in ("percent", "ratio") else MAX_FIGURE
    assert upper_bound(model, "target") == upper_bound(model, "baseline") == high
    data = raw_seed()
    target = data["targets"][TARGET_OF[measure]]
    assert target["measure"] == measure
    target["target"] = high
    assert parse_plan_seed(data, "x.yaml").targets[TARGET_OF[measure]].target == high
    target["target"] = math.nextafter(float(high), math.inf)
    assert problems_for(data) == [f"ke-hoach.yaml: chỉ tiêu {target['code']}: trường 'target' "
                                  f"'{target['target']:g}' nằm ngoài khoảng cho phép từ 0 đến "
                                  f"{format_number(high)}"]


@pytest.mark.parametrize("measure", list(SEED_TARGETS))
def test_the_measure_decides_the_required_fields_the_reader_asks_for(measure):
    required = set(SEED_TARGETS[measure].model_json_schema()["required"])
    data = raw_seed()
    target = data["targets"][TARGET_OF[measure]]
    for name in properties(SEED_TARGETS[measure]):
        target.pop(name, None)
    target["measure"] = measure
    missing = {p.split("trường '")[1].split("'")[0] for p in problems_for(data)
               if p.endswith("bị thiếu") or p.endswith("bị thiếu hoặc để trống")}
    assert missing == required - {"measure"}
    assert ({"target", "baseline"} <= required) == (measure != "milestone")
    assert ({"numerator_label", "denominator_label"} <= required) == (measure == "ratio")


def test_a_bound_changed_in_bounds_py_changes_the_seed_readers_refusal():
    """The reader's bound is the declared one, and the declared one is bounds.py's."""
    script = textwrap.dedent("""
        import tracker.domain.bounds as bounds
        bounds.MAX_PERCENT = 50
        from tests.test_seeding import raw_seed
        from tracker.domain.seed_file import SeedError, parse_plan_seed
        from tracker.domain.seed_schemas import SeedPercentTarget, upper_bound
        assert upper_bound(SeedPercentTarget, "target") == 50
        data = raw_seed()
        data["targets"][4]["target"] = 60
        try:
            parse_plan_seed(data, "x.yaml")
        except SeedError as exc:
            print(exc.problems)
    """)
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,  # noqa: S603
                            cwd=Path(__file__).resolve().parents[1])
    assert "chỉ tiêu MT05: trường 'target' '60' nằm ngoài khoảng cho phép từ 0 đến 50" in answer.stdout
    data = raw_seed()
    data["targets"][4]["target"] = 60
    assert parse_plan_seed(data, "x.yaml").targets[4].target == 60


def test_values_that_crashed_the_hand_reader_are_refused_by_name():
    data = raw_seed()
    data["targets"][0]["title"] = 10**5000
    data["targets"][1]["deadline"] = datetime(2025, 12, 31, 8, 0)
    data["tasks"][0]["code"] = 10**5000
    problems = problems_for(data)
    assert "ke-hoach.yaml: chỉ tiêu MT01: trường 'title' phải là chữ" in problems
    assert ("ke-hoach.yaml: chỉ tiêu MT02: trường 'deadline' '2025-12-31 08:00:00' không phải ngày hợp lệ "
            "(viết YYYY-MM-DD)") in problems
    assert "ke-hoach.yaml: nhiệm vụ số quá dài: trường 'code' phải là chữ" in problems

"""The synthetic province: shape, consistency and determinism at a small size."""

import hashlib

import pytest
from sqlalchemy import func, select

from devtools.cli import synth_command
from devtools.synth import SynthError, SynthOptions, create_synthetic_province, weeks_between
from tests.conftest import SEED_FILE, empty_tables
from tracker.domain.stats import check_stats
from tracker.models import Commune, PlanItem, ProcedureStats, ProgressEntry, ReportingPeriod, Target, User
from tracker.services.figures import stats_values
from tracker.services.seeding import read_plan_seed


def _empty(db) -> None:
    db.session.rollback()
    empty_tables(db.engine)


def _digest(db) -> str:
    """A fingerprint of the synthetic rows that does not depend on ids."""
    digest = hashlib.sha256()
    rows = db.session.execute(
        select(Commune.code, PlanItem.code, ProgressEntry.as_of, ProgressEntry.value,
               ProgressEntry.numerator, ProgressEntry.denominator, ProgressEntry.state, ProgressEntry.percent,
               User.username)
        .select_from(ProgressEntry).join(PlanItem, ProgressEntry.item_id == PlanItem.id)
        .join(User, ProgressEntry.author_id == User.id)
        .join(Commune, User.commune_id == Commune.id)
        .order_by(Commune.code, PlanItem.code, ProgressEntry.as_of, ProgressEntry.id))
    for row in rows:
        digest.update(repr(tuple(row)).encode())
    periods = (select(Commune.code, ReportingPeriod.start_date, ProcedureStats.dossiers_new_total)
               .join(ReportingPeriod, ReportingPeriod.commune_id == Commune.id)
               .join(ProcedureStats).order_by(Commune.code, ReportingPeriod.start_date))
    for row in db.session.execute(periods):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _run(db, seed=1, factor=1):
    result = create_synthetic_province(db.session, read_plan_seed(SEED_FILE),
                                       SynthOptions(communes=3, months=2, seed=seed, history_factor=factor),
                                       password_hash="x")
    db.session.commit()
    return result


def test_small_province_has_every_part(db):
    result = _run(db)
    weeks = len(weeks_between(read_plan_seed(SEED_FILE).plan.tracking_start,
                              read_plan_seed(SEED_FILE).plan.tracking_start.replace(month=8, day=18)))
    assert result.rows["communes"] == 3
    assert result.rows["plans"] == 3
    assert result.rows["items"] == 3 * (16 + 11)
    assert result.rows["periods"] == 3 * weeks
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry)) == result.rows["entries"] > 0
    # Province users exist and have no commune; every commune has its own admin, leader, secretary, heads.
    province_users = db.session.scalars(select(User).where(User.commune_id.is_(None))).all()
    assert {u.role for u in province_users} == {"leader", "secretary"}
    assert all(u.province_id is not None for u in province_users)
    # Statistics obey the rules a secretary's figures must obey.
    for stats in db.session.scalars(select(ProcedureStats)):
        assert check_stats(stats_values(stats)) == []
    # Every item of every commune has entries.
    assert db.session.scalar(select(func.count(func.distinct(ProgressEntry.item_id)))
                             .where(ProgressEntry.item_id.in_(select(Target.id)))) == 3 * 16


def test_same_seed_same_data_other_seed_other_data(db):
    _run(db, seed=1)
    first = _digest(db)
    _empty(db)
    _run(db, seed=1)
    assert _digest(db) == first
    _empty(db)
    _run(db, seed=2)
    assert _digest(db) != first


def test_history_factor_multiplies_entries(db):
    one = _run(db, factor=1).rows["entries"]
    _empty(db)
    ten = _run(db, factor=10).rows["entries"]
    assert 9 * one <= ten <= 11 * one  # the first and last weeks are partial


def test_refuses_to_run_twice(db):
    _run(db)
    with pytest.raises(SynthError):
        _run(db)


def test_cli_prints_timings(runner):
    answer = runner.invoke(synth_command, args=["--communes", "2", "--months", "1"])
    assert answer.exit_code == 0, answer.output
    assert "số liệu tiến độ" in answer.output
    assert "communes 2" in answer.output
    assert runner.invoke(synth_command, args=["--communes", "0"]).exit_code != 0


def test_synthetic_communes_never_join_the_real_province(db):
    """Issue 14: synth put its test communes into the real province (Tỉnh Quảng Ngãi)."""
    from tracker.models import Province
    from tracker.services.seeding import load_plan_seed

    load_plan_seed(db.session, read_plan_seed(SEED_FILE))
    db.session.commit()
    _run(db)
    real = db.session.scalar(select(Province).where(Province.name == "Tỉnh Quảng Ngãi"))
    assert [c.code for c in real.communes] == ["ngok-bay"]
    synthetic = db.session.scalars(select(Commune).where(Commune.code.like("synth-%"))).all()
    assert len(synthetic) == 3
    province = synthetic[0].province
    assert {c.province_id for c in synthetic} == {province.id} != {real.id}
    assert "tổng hợp" in province.name.casefold()
    assert province.code.startswith("synth")
    provincial = db.session.scalars(select(User).where(User.province_id.is_not(None))).all()
    assert provincial
    assert {u.province_id for u in provincial} == {province.id}, "the synthetic province's own users"

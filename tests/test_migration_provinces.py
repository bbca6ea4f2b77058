"""Migration 0005: the free-text province of existing communes becomes a province row."""

from sqlalchemy import text

from tests.conftest import ROOT
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db


def test_existing_communes_get_their_province(tmp_path):
    from flask_migrate import downgrade, upgrade

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrate.db'}"

    app = create_app(Config)
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="0004")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO commune (code, name, province) VALUES "
                              "('a', 'Xã A', 'Tỉnh Quảng Ngãi'), ('b', 'Xã B', 'Tỉnh Quảng Ngãi'), "
                              "('c', 'Xã C', 'Tỉnh Đắk Lắk')"))
        upgrade(directory=directory, revision="0005")
        with db.engine.connect() as conn:
            provinces = dict(conn.execute(text("SELECT code, name FROM province")).all())
            communes = conn.execute(text(
                "SELECT commune.code, province.code FROM commune JOIN province "
                "ON province.id = commune.province_id ORDER BY commune.code")).all()
        assert provinces == {"tinh-quang-ngai": "Tỉnh Quảng Ngãi", "tinh-dak-lak": "Tỉnh Đắk Lắk"}
        assert [tuple(r) for r in communes] == [("a", "tinh-quang-ngai"), ("b", "tinh-quang-ngai"),
                                                ("c", "tinh-dak-lak")]
        downgrade(directory=directory, revision="0004")
        with db.engine.connect() as conn:
            names = conn.execute(text("SELECT province FROM commune ORDER BY code")).scalars().all()
        assert names == ["Tỉnh Quảng Ngãi", "Tỉnh Quảng Ngãi", "Tỉnh Đắk Lắk"]
        db.engine.dispose()

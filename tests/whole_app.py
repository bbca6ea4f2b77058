"""Every page, document, API answer and nightly job of a commune and its province, visited at once.

Used by the tests that prove no figure can take the service down (``test_stored_numbers``,
``test_any_accepted_value``): they store or submit figures, then ask ``WholeApp.failures()`` which
answers were not a 200 and which jobs did not finish.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tracker.jobs.runner import run_job
from tracker.models import Plan, ReportingPeriod, Target, User
from tracker.services.tokens import create_token
from tracker.services.users import create_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# A count, a percent, a ratio target, a milestone target and a task (the first four led by TTHCC).
ITEMS = {"count": "MT02", "percent": "MT05", "ratio": "MT10", "milestone": "MT11", "task": "NV05"}
UNIT_CODE = "TTHCC"
JOBS = ("snapshot", "red_alerts", "reminders")
# Each call runs the jobs for a new instant: a run is claimed once per (job, instant).
_instants = count()


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


@dataclass
class WholeApp:
    """Signed-in clients for every role that has pages, and an API token."""

    app: Flask
    plan: Plan
    period: ReportingPeriod
    leader: FlaskClient
    head: FlaskClient
    secretary: FlaskClient
    admin: FlaskClient
    province: FlaskClient
    tokens: dict[str, str]

    @property
    def api_headers(self) -> dict[str, str]:
        """The unit head's API token (TTHCC leads the count, percent and ratio targets and the task)."""
        return {"Authorization": f"Bearer {self.tokens['tp.tthcc']}"}

    @property
    def admin_api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['quantri']}"}

    @property
    def secretary_api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['vanthu']}"}

    @classmethod
    def build(cls, app: Flask, db, plan: Plan, period: ReportingPeriod, make_user, data_app) -> WholeApp:
        make_user("bithu", "leader", "TTDU")
        # The ratio kind is typed by hand here (a plan may have such a target); the seed derives MT10
        # from the periods, which refuse hand entries, and MT16 stays derived for the periods' path.
        db.session.scalar(db.select(Target).where(Target.plan_id == plan.id, Target.code == ITEMS["ratio"])
                          ).derived_from = None
        users = {"tp.tthcc": make_user("tp.tthcc", "unit_head", UNIT_CODE),
                 "quantri": make_user("quantri", "admin", "VP"),
                 "vanthu": db.session.scalar(db.select(User).where(User.username == "vanthu"))
                 or make_user("vanthu", "secretary", "VP")}
        create_user(db.session, province=plan.commune.province, username="tinh", password=PASSWORD,
                    role="leader", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                    min_length=data_app.config["PASSWORD_MIN_LENGTH"])
        tokens = {name: create_token(db.session, user, "kiểm thử") for name, user in users.items()}
        db.session.commit()
        clients = {}
        for name in ("bithu", "tp.tthcc", "vanthu", "quantri", "tinh"):
            client = app.test_client()
            answer = client.post("/login", data={"username": name, "password": PASSWORD})
            assert answer.status_code == 302, name
            clients[name] = client
        return cls(app, plan, period, clients["bithu"], clients["tp.tthcc"], clients["vanthu"],
                   clients["quantri"], clients["tinh"], tokens)

    def pages(self, *, documents: bool = True, pdf: bool = True, png: bool = True
              ) -> list[tuple[FlaskClient, str, dict]]:
        """Every GET of the commune, its reports, the API and the province, with its client.

        ``documents=False`` leaves out the DOCX/XLSX/PDF files, ``pdf=False`` the two PDFs (about a
        second each), ``png=False`` the PNG copies of the SVG charts (the same drawing code)."""
        period = f"/reports/{self.period.id}"
        commune = ["/plan", "/attention", "/scorecard", "/summary", f"/units/{UNIT_CODE}",
                   "/charts/colours.svg", "/reports", period, f"{period}/report.html"]
        for code in ITEMS.values():
            commune += [f"/items/{code}", f"/items/{code}/trend.svg"]
        province = ["/province", "/province/heatmap.svg", "/province/report.html"]
        if png:
            commune += ["/charts/colours.png"] + [f"/items/{code}/trend.png" for code in ITEMS.values()]
            province.append("/province/heatmap.png")
        if documents:
            commune += [f"{period}/report.xlsx", f"{period}/report.docx"]
            province.append("/province/report.docx")
        if documents and pdf:
            commune.append(f"{period}/report.pdf")
            province.append("/province/report.pdf")
        api = self.api_headers
        return ([(self.leader, path, {}) for path in commune]
                + [(self.head, "/my", {})]
                + [(self.head, "/api/v1/items", api), (self.head, f"/api/v1/items/{ITEMS['count']}", api),
                   (self.head, f"/api/v1/periods/{self.period.id}/stats", api)]
                + [(self.province, path, {}) for path in province])

    def failures(self, *, documents: bool = True, pdf: bool = True, png: bool = True,
                 jobs: bool = True) -> list[str]:
        """Every page that did not answer 200 (or, for the API, not strict JSON) and every job that
        did not finish, as readable lines (see ``pages`` for what the flags leave out)."""
        found = []
        for client, path, headers in self.pages(documents=documents, pdf=pdf, png=png):
            answer = client.get(path, headers=headers)
            if answer.status_code != 200:
                found.append(f"GET {path} → {answer.status_code}")
            elif path.startswith("/api/"):
                try:
                    json.loads(answer.text, parse_constant=_no_constant)
                except ValueError as exc:
                    found.append(f"GET {path} → not strict JSON: {exc}")
        if jobs:
            instant = datetime(2025, 12, 1, 1, 0, tzinfo=TZ) + timedelta(minutes=next(_instants))
            for job in JOBS:
                run = run_job(job, instant, trigger="request")
                if run is None or run.outcome != "ok":
                    found.append(f"job {job} → {run.outcome if run else 'not run'}: "
                                 f"{(run.error or '')[-300:] if run else ''}")
        return found

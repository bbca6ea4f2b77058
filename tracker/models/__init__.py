"""All models, imported here so Alembic and the app see the whole schema."""

from tracker.models.audit import AuditEvent
from tracker.models.base import AppendOnlyError, Base
from tracker.models.directive import Directive
from tracker.models.evidence import Attachment
from tracker.models.jobs import JOB_OUTCOMES, JobRequest, JobRun, JobSetting, SchedulerLease
from tracker.models.legal import LegalDocument
from tracker.models.notifications import (
    NOTIFICATION_KINDS,
    Notification,
    NotificationPreference,
    OutboxMail,
    StatusSnapshot,
)
from tracker.models.org import ROLES, UNIT_KINDS, Commune, Province, Unit, User
from tracker.models.paper import PaperFigure, PaperReport
from tracker.models.plan import Plan, PlanItem, Target, Task
from tracker.models.progress import TASK_STATES, LatestEntry, ProgressEntry
from tracker.models.province_report import ProvinceReport, ProvinceReportSection
from tracker.models.reporting import (
    PERIOD_KINDS,
    FinanceFigures,
    ProcedureStats,
    ReportingCalendar,
    ReportingPeriod,
    ReportSection,
)
from tracker.models.sign_in import SignInThrottle
from tracker.models.signing import IssuedReport, SignedReport
from tracker.models.token import ApiToken

__all__ = [
    "JOB_OUTCOMES",
    "NOTIFICATION_KINDS",
    "JobRequest",
    "JobRun",
    "JobSetting",
    "Notification",
    "NotificationPreference",
    "OutboxMail",
    "SchedulerLease",
    "StatusSnapshot",
    "ROLES",
    "TASK_STATES",
    "UNIT_KINDS",
    "ApiToken",
    "AppendOnlyError",
    "Attachment",
    "AuditEvent",
    "Base",
    "Commune",
    "Directive",
    "FinanceFigures",
    "IssuedReport",
    "LegalDocument",
    "PERIOD_KINDS",
    "PaperFigure",
    "PaperReport",
    "ProcedureStats",
    "ReportSection",
    "ReportingCalendar",
    "ReportingPeriod",
    "SignInThrottle",
    "SignedReport",
    "Plan",
    "PlanItem",
    "LatestEntry",
    "ProgressEntry",
    "Province",
    "ProvinceReport",
    "ProvinceReportSection",
    "Target",
    "Task",
    "Unit",
    "User",
]

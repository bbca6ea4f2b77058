"""The activity log in words: each audit event as one sentence in the reader's language.

"Nguyễn Văn A ghi nhận MT02: 88 dịch vụ, 03/11/2025". One function per kind of event (its
``action``) writes the sentence from the event's stored values and the names the service looked up
(people by full name, items by code, periods by their dates); a kind without a function, or an
event whose stored values do not fit its function (an old shape), gets a plain generic sentence,
never the stored JSON. Pure: the service gathers the names, this module only words them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain.dates import PERIOD_KIND_LABELS, period_title
from tracker.domain.entries import TASK_STATES
from tracker.domain.figure_text import amount_text, ratio_text
from tracker.domain.formatting import format_date, format_money_exact, format_number, format_percent
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.outline import SECTIONS
from tracker.domain.permissions import ROLE_LABELS
from tracker.domain.stats import FINANCE_FIELDS, LABELS, TEXT_LABELS

PER_PAGE = 50
QUOTE_LENGTH = 120  # a directive's or a reason's text is quoted up to this many characters
MAX_CHANGES = 4  # changed figures named in one sentence; the rest are counted

# The kinds of event, in the order the filter lists them, with the name a reader chooses by.
KIND_LABELS: dict[str, Any] = {
    "progress.log": _l("Progress recorded"),
    "progress.derive": _l("Target updated from a period"),
    "evidence.upload": _l("Evidence attached"),
    "directive.write": _l("Directive issued"),
    "directive.answer": _l("Directive answered"),
    "directive.due": _l("Directive due date changed"),
    "period.create": _l("Reporting period opened"),
    "stats.record": _l("TTHC figures saved"),
    "finance.record": _l("Funding figures saved"),
    "section.save": _l("Report text saved"),
    "period.submit": _l("Report submitted"),
    "period.reopen": _l("Period reopened"),
    "period.accept": _l("Report accepted by the province"),
    "period.return": _l("Report returned by the province"),
    "calendar.save": _l("Reporting calendar changed"),
    "legal.register": _l("Legal document registered"),
    "report.issue_for_signing": _l("Report downloaded for signing"),
    "report.signed_upload": _l("Signed report received"),
    "paper_report.create": _l("Paper report keyed in"),
    "paper_report.update": _l("Paper report corrected"),
    "province_report.header": _l("Province report's number, date or signer changed"),
    "province_report.section": _l("Province report's section edited"),
    "province_report.restore": _l("Province report's section put back to the communes' text"),
    "auth.login": _l("Sign-in"),
    "auth.logout": _l("Sign-out"),
    "auth.login_failed": _l("Failed sign-in"),
    "auth.login_throttled": _l("Sign-in refused (too many attempts)"),
    "auth.denied": _l("Access refused"),
    "user.create": _l("Account created"),
    "user.lock": _l("Account locked"),
    "user.unlock": _l("Account unlocked"),
    "user.role": _l("Role changed"),
    "user.password_change": _l("Password changed"),
    "user.password_reset": _l("Password reset"),
    "user.language": _l("Language chosen"),
    "token.create": _l("API token created"),
    "token.revoke": _l("API token revoked"),
    "job.run": _l("Job run from the command line"),
    "job.request": _l("Job run on request"),
    "job.pause": _l("Job paused"),
    "job.resume": _l("Job resumed"),
    "plan.from_template": _l("Plan created from the template"),
    "seed.load": _l("Plan loaded from the seed file"),
}
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


@dataclass(frozen=True)
class ItemInfo:
    """What a sentence says about a target or task: its code, and how its figures are written."""

    code: str
    unit_label: str = ""
    progress_based: bool = False


@dataclass(frozen=True)
class Event:
    """The stored values of one audit event (the model's columns, with no database attached)."""

    action: str
    actor: str | None  # the person's full name (or username if the account is gone); None: the system
    object_type: str | None = None
    object_id: str | None = None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Names:
    """The names the service looked up for a page of events."""

    users: Mapping[int, str] = field(default_factory=dict)  # user id -> full name
    usernames: Mapping[str, str] = field(default_factory=dict)  # username -> full name
    items: Mapping[str, ItemInfo] = field(default_factory=dict)  # code -> item
    periods: Mapping[int, str] = field(default_factory=dict)  # period id -> "Tuần 27/10–02/11/2025"
    entry_items: Mapping[int, str] = field(default_factory=dict)  # entry id -> item code
    directive_items: Mapping[int, str] = field(default_factory=dict)  # directive id -> item code


def kind_label(action: str) -> str:
    """The reader's name of a kind of event; an unknown kind by its own code."""
    label = KIND_LABELS.get(action)
    return str(label) if label is not None else action


def _who(event: Event) -> str:
    return event.actor or _("The system")


def _quote(text: object) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= QUOTE_LENGTH else words[:QUOTE_LENGTH - 1].rstrip() + "…"


def _day(text: object) -> str:
    return format_date(date.fromisoformat(str(text)))


def _int(text: object) -> int | None:
    try:
        return int(str(text))
    except ValueError:
        return None


def _period(event: Event, names: Names, period_id: object = None) -> str:
    key = _int(period_id if period_id is not None else event.object_id)
    return names.periods.get(key) or _("no. %(id)s", id=key)


def _person(names: Names, user_id: object) -> str:
    key = _int(user_id)
    return names.users.get(key) or _("an account no longer on the list")


def _figure(item: ItemInfo | None, values: Mapping[str, Any]) -> str:
    """An entry's figure as the item measures it: ``88 dịch vụ``, ``24,62% (16/65)``, ``hoàn thành 100%``."""
    if values.get("numerator") is not None:
        return ratio_text(values["numerator"], values.get("denominator"))
    if values.get("state") is not None or (item is not None and item.progress_based):
        state = TASK_STATES.get(values.get("state"))
        parts = [str(state).lower()] if state is not None else []
        if values.get("percent") is not None:
            parts.append(format_percent(values["percent"]))
        return " ".join(parts) or "—"
    return amount_text(values.get("value"), item.unit_label if item else None)


# The figures of an entry that a correction's audit event keeps in ``before`` (``progress.log``).
FIGURE_FIELDS = ("value", "numerator", "denominator", "state", "percent")


def _progress_log(event: Event, names: Names) -> str:
    after = event.after or {}
    code = event.object_id or ""
    figure = _figure(names.items.get(code), after)
    params = {"actor": _who(event), "item": code, "figure": figure, "date": _day(after["as_of"])}
    before = event.before or {}
    if before.get("supersedes"):
        reason = _quote(after.get("reason"))
        if not any(before.get(f) is not None for f in FIGURE_FIELDS):  # recorded before the old figure was
            return _("%(actor)s corrected %(item)s: %(figure)s, %(date)s (reason: %(reason)s)",
                     reason=reason, **params)
        item = names.items.get(code)
        old = _figure(item, before)
        if before.get("value") is not None and after.get("value") is not None and item is not None \
                and item.unit_label not in ("", "%"):
            # "từ 95 thành 96 dịch vụ": the unit is said once, after the new figure
            old = amount_text(before["value"], None)
        return _("%(actor)s corrected %(item)s: from %(old)s to %(figure)s, %(date)s (reason: %(reason)s)",
                 old=old, reason=reason, **params)
    return _("%(actor)s recorded %(item)s: %(figure)s, %(date)s", **params)


def _progress_derive(event: Event, names: Names) -> str:
    after = event.after or {}
    return _("%(item)s took its figure from the period %(period)s: %(figure)s (saved by %(actor)s)",
             item=event.object_id, period=_period(event, names, after["period"]),
             figure=ratio_text(after.get("numerator"), after.get("denominator")), actor=_who(event))


def _evidence_upload(event: Event, names: Names) -> str:
    after = event.after or {}
    code = names.entry_items.get(_int(after.get("entry")))
    params = {"actor": _who(event), "name": _quote(after.get("name")),
              "size": format_number(round((after.get("size") or 0) / 1024)) + " KB"}
    if code:
        return _("%(actor)s attached the evidence file “%(name)s” (%(size)s) to %(item)s", item=code,
                 **params)
    return _("%(actor)s attached the evidence file “%(name)s” (%(size)s)", **params)


def _directive_item(event: Event, names: Names) -> str:
    return (event.after or {}).get("item") or names.directive_items.get(_int(event.object_id)) or "—"


def _directive_write(event: Event, names: Names) -> str:
    after = event.after or {}
    params = {"actor": _who(event), "item": _directive_item(event, names), "text": _quote(after.get("text"))}
    if after.get("due_date"):
        return _("%(actor)s issued a directive on %(item)s, due %(due)s: “%(text)s”",
                 due=_day(after["due_date"]), **params)
    return _("%(actor)s issued a directive on %(item)s: “%(text)s”", **params)


def _directive_answer(event: Event, names: Names) -> str:
    return _("%(actor)s answered the directive on %(item)s: “%(text)s”", actor=_who(event),
             item=_directive_item(event, names), text=_quote((event.after or {}).get("reply")))


def _directive_due(event: Event, names: Names) -> str:
    due = (event.after or {}).get("due_date")
    if not due:
        return _("%(actor)s removed the due date of the directive on %(item)s", actor=_who(event),
                 item=_directive_item(event, names))
    return _("%(actor)s set the due date of the directive on %(item)s to %(due)s", actor=_who(event),
             item=_directive_item(event, names), due=_day(due))


def _period_create(event: Event, names: Names) -> str:
    after = event.after or {}
    label = period_title(after["kind"], date.fromisoformat(after["start"]), date.fromisoformat(after["end"]))
    if event.actor is None:
        return _("The scheduler opened the reporting period %(period)s as a draft", period=label)
    return _("%(actor)s opened the reporting period %(period)s", actor=_who(event), period=label)


def _changes(before: Mapping[str, Any] | None, after: Mapping[str, Any], labels: Mapping[str, Any],
             write: Callable[[Any], str]) -> str:
    """The figures that changed: "label: old → new"; the first few, then how many more."""
    before = before or {}
    said = []
    for name, label in labels.items():
        if name not in after or before.get(name) == after.get(name):
            continue
        if isinstance(after.get(name), str) or isinstance(before.get(name), str):
            said.append(str(label))
        elif before.get(name) is None:
            said.append(f"{label} {write(after[name])}")
        else:
            said.append(f"{label} {write(before[name])} → {write(after[name])}")
    if not said:
        return _("no figure changed")
    shown = "; ".join(said[:MAX_CHANGES])
    if len(said) > MAX_CHANGES:
        shown += " " + _("and %(count)s more", count=len(said) - MAX_CHANGES)
    return shown


def _had_figures(event: Event) -> bool:
    """True when the figures existed before this save (a first save stores the empty form's Nones)."""
    return any(value is not None for value in (event.before or {}).values())


def _through(event: Event) -> str:
    via = (event.after or {}).get("via")
    ways = {"api": _("(through the API)"), "import": _("(imported from a spreadsheet)")}
    return " " + ways[via] if via in ways else ""


def _stats_record(event: Event, names: Names) -> str:
    labels = {**LABELS, **{k: v for k, v in TEXT_LABELS.items() if k != "disbursed_for"}}
    params = {"actor": _who(event), "period": _period(event, names),
              "changes": _changes(event.before, event.after or {}, labels, format_number)}
    if _had_figures(event):
        return _("%(actor)s changed the TTHC figures of the period %(period)s: %(changes)s", **params) \
            + _through(event)
    return _("%(actor)s entered the TTHC figures of the period %(period)s: %(changes)s", **params) \
        + _through(event)


def _money(value: Any) -> str:
    return format_money_exact(value)


def _finance_record(event: Event, names: Names) -> str:
    labels = {**FINANCE_FIELDS, "disbursed_for": TEXT_LABELS["disbursed_for"]}
    params = {"actor": _who(event), "period": _period(event, names),
              "changes": _changes(event.before, event.after or {}, labels, _money)}
    if _had_figures(event):
        return _("%(actor)s changed the funding figures of the period %(period)s: %(changes)s", **params)
    return _("%(actor)s entered the funding figures of the period %(period)s: %(changes)s", **params)


def _section_save(event: Event, names: Names) -> str:
    key = (event.after or {})["key"]
    section = SECTIONS[key]
    title = str(section.label) if section.label is not None else f"{key}. {section.heading}"
    params = {"actor": _who(event), "section": title, "period": _period(event, names)}
    if not (event.after or {}).get("text"):
        return _("%(actor)s emptied “%(section)s” in the report of the period %(period)s", **params)
    return _("%(actor)s wrote “%(section)s” in the report of the period %(period)s", **params)


def _period_submit(event: Event, names: Names) -> str:
    if (event.after or {}).get("late"):
        return _("%(actor)s submitted the report of the period %(period)s, after its due date",
                 actor=_who(event), period=_period(event, names))
    return _("%(actor)s submitted the report of the period %(period)s", actor=_who(event),
             period=_period(event, names))


def _period_accept(event: Event, names: Names) -> str:
    return _("%(actor)s (province) accepted the report of the period %(period)s: it is locked",
             actor=_who(event), period=_period(event, names))


def _period_return(event: Event, names: Names) -> str:
    return _("%(actor)s (province) returned the report of the period %(period)s: %(reason)s",
             actor=_who(event), period=_period(event, names),
             reason=_quote((event.after or {}).get("reason")))


def _period_reopen(event: Event, names: Names) -> str:
    return _("%(actor)s reopened the period %(period)s: %(reason)s", actor=_who(event),
             period=_period(event, names), reason=_quote((event.after or {}).get("reason")))


def _report_issue_for_signing(event: Event, names: Names) -> str:
    return _("%(actor)s downloaded the report of the period %(period)s to be digitally signed",
             actor=_who(event), period=_period(event, names))


def _report_signed_upload(event: Event, names: Names) -> str:
    return _("%(actor)s uploaded the report of the period %(period)s digitally signed by %(signer)s",
             actor=_who(event), period=_period(event, names), signer=(event.after or {})["signer"])


def _paper_report(event: Event, names: Names) -> str:  # noqa: ARG001
    after = event.after or {}
    kind = str(PERIOD_KIND_LABELS.get(after.get("kind"), after.get("kind"))).lower()
    facts = {"actor": _who(event), "kind": kind, "start": _day(after["start_date"]),
             "end": _day(after["end_date"]), "flags": after.get("flags", 0)}
    if event.action == "paper_report.update":
        return _("%(actor)s corrected the paper report of the %(kind)s %(start)s–%(end)s "
                 "(%(flags)s inconsistencies found)", **facts)
    return _("%(actor)s keyed in the paper report of the %(kind)s %(start)s–%(end)s "
             "(%(flags)s inconsistencies found)", **facts)


def _province_report_header(event: Event, names: Names) -> str:  # noqa: ARG001
    return _("%(actor)s changed the number, date or signer of the province's report", actor=_who(event))


def _province_report_section(event: Event, names: Names) -> str:  # noqa: ARG001
    return _("%(actor)s edited section %(key)s of the province's report: %(text)s", actor=_who(event),
             key=(event.after or {}).get("key"), text=_quote((event.after or {}).get("text")))


def _province_report_restore(event: Event, names: Names) -> str:  # noqa: ARG001
    return _("%(actor)s put section %(key)s of the province's report back to the text gathered from the "
             "communes", actor=_who(event), key=(event.after or {}).get("key"))


def _calendar_save(event: Event, names: Names) -> str:
    def rule(values: dict[str, Any]) -> str:
        return _("%(days)s days after the period, %(at)s", days=values["days"], at=values["at"])

    after = event.after or {}
    kind = str(PERIOD_KIND_LABELS.get(after["kind"], after["kind"])).lower()
    return _("%(actor)s changed when %(kind)s reports are due: %(before)s → %(after)s", actor=_who(event),
             kind=kind, before=rule(event.before or {}), after=rule(after))


def _legal_register(event: Event, names: Names) -> str:
    after = event.after or {}
    items = ", ".join(after.get("items") or []) or "—"
    return _("%(actor)s registered the document %(number)s of %(date)s (items: %(items)s)", actor=_who(event),
             number=after["number"], date=_day(after["date"]), items=items)


def _auth_login(event: Event, names: Names) -> str:
    return _("%(actor)s signed in", actor=_who(event))


def _auth_logout(event: Event, names: Names) -> str:
    return _("%(actor)s signed out", actor=_who(event))


def _auth_login_failed(event: Event, names: Names) -> str:
    return _("Failed sign-in with the username “%(username)s”", username=_quote(event.object_id))


def _auth_login_throttled(event: Event, names: Names) -> str:
    if (event.after or {}).get("reason") == "busy":
        return _("Sign-in with the username “%(username)s” refused: the server was busy",
                 username=_quote(event.object_id))
    return _("Sign-in with the username “%(username)s” refused: too many attempts",
             username=_quote(event.object_id))


def _auth_denied(event: Event, names: Names) -> str:
    method, _space, path = (event.object_id or "").partition(" ")
    what = _("opening %(path)s", path=path) if method == "GET" else _("changing %(path)s", path=path)
    return _("%(actor)s was refused %(what)s (not allowed)", actor=_who(event), what=what)


def _user_create(event: Event, names: Names) -> str:
    after = event.after or {}
    role = ROLE_LABELS.get(after.get("role"))
    return _("%(actor)s created the account of %(person)s (%(username)s, %(role)s)", actor=_who(event),
             person=_person(names, event.object_id), username=after.get("username"),
             role=str(role).lower() if role is not None else after.get("role"))


def _user_lock(event: Event, names: Names) -> str:
    return _("%(actor)s locked the account of %(person)s", actor=_who(event),
             person=_person(names, event.object_id))


def _user_unlock(event: Event, names: Names) -> str:
    return _("%(actor)s unlocked the account of %(person)s", actor=_who(event),
             person=_person(names, event.object_id))


def _role(name: object) -> str:
    label = ROLE_LABELS.get(str(name))
    return str(label).lower() if label is not None else str(name)


def _user_role(event: Event, names: Names) -> str:
    return _("%(actor)s changed the role of %(person)s from %(old)s to %(new)s", actor=_who(event),
             person=_person(names, event.object_id), old=_role((event.before or {})["role"]),
             new=_role((event.after or {})["role"]))


def _user_password_change(event: Event, names: Names) -> str:
    return _("%(actor)s changed their password", actor=_who(event))


def _user_password_reset(event: Event, names: Names) -> str:
    return _("%(actor)s reset the password of %(person)s", actor=_who(event),
             person=_person(names, event.object_id))


def _user_language(event: Event, names: Names) -> str:
    language = (event.after or {}).get("language")
    return _("%(actor)s chose the language: %(language)s", actor=_who(event),
             language=LANGUAGE_NAMES.get(language) or _("the default"))


def _token_person(event: Event, names: Names) -> str:
    username = (event.after or {}).get("user") or ""
    return names.usernames.get(username) or username


def _token_create(event: Event, names: Names) -> str:
    after = event.after or {}
    return _("%(actor)s created the API token “%(name)s” for %(person)s, valid until %(date)s",
             actor=_who(event), name=_quote(after.get("name")), person=_token_person(event, names),
             date=_day(str(after["expires_at"])[:10]))


def _token_revoke(event: Event, names: Names) -> str:
    return _("%(actor)s revoked the API token “%(name)s” of %(person)s", actor=_who(event),
             name=_quote((event.after or {}).get("name")), person=_token_person(event, names))


def _job_actor(event: Event) -> str:
    return event.actor or _("The administrator (command line)")


def _job_label(event: Event) -> str:
    return (event.after or {}).get("label") or event.object_id or "—"


def _job_run(event: Event, names: Names) -> str:
    return _("%(actor)s ran the job “%(job)s”", actor=_job_actor(event), job=_job_label(event))


def _job_request(event: Event, names: Names) -> str:
    return _("%(actor)s asked to run the job “%(job)s” now", actor=_job_actor(event), job=_job_label(event))


def _job_pause(event: Event, names: Names) -> str:
    return _("%(actor)s paused the job “%(job)s”", actor=_job_actor(event), job=_job_label(event))


def _job_resume(event: Event, names: Names) -> str:
    return _("%(actor)s resumed the job “%(job)s”", actor=_job_actor(event), job=_job_label(event))


def _plan_from_template(event: Event, names: Names) -> str:
    after = event.after or {}
    return _("%(actor)s created the plan %(plan)s from the template %(template)s "
             "(%(targets)s targets, %(tasks)s tasks)", actor=_who(event), plan=event.object_id,
             template=after["template"], targets=format_number(after["targets"]),
             tasks=format_number(after["tasks"]))


def _seed_load(event: Event, names: Names) -> str:
    after = event.after or {}
    created = sum((after.get("created") or {}).values())
    updated = sum((after.get("updated") or {}).values())
    return _("The plan %(plan)s was loaded from its seed file: %(created)s records added, "
             "%(updated)s updated", plan=event.object_id, created=format_number(created),
             updated=format_number(updated))


SENTENCES: dict[str, Callable[[Event, Names], str]] = {
    "progress.log": _progress_log,
    "progress.derive": _progress_derive,
    "evidence.upload": _evidence_upload,
    "directive.write": _directive_write,
    "directive.answer": _directive_answer,
    "directive.due": _directive_due,
    "period.create": _period_create,
    "stats.record": _stats_record,
    "finance.record": _finance_record,
    "section.save": _section_save,
    "period.submit": _period_submit,
    "period.reopen": _period_reopen,
    "period.accept": _period_accept,
    "period.return": _period_return,
    "calendar.save": _calendar_save,
    "legal.register": _legal_register,
    "report.issue_for_signing": _report_issue_for_signing,
    "report.signed_upload": _report_signed_upload,
    "paper_report.create": _paper_report,
    "paper_report.update": _paper_report,
    "province_report.header": _province_report_header,
    "province_report.section": _province_report_section,
    "province_report.restore": _province_report_restore,
    "auth.login": _auth_login,
    "auth.logout": _auth_logout,
    "auth.login_failed": _auth_login_failed,
    "auth.login_throttled": _auth_login_throttled,
    "auth.denied": _auth_denied,
    "user.create": _user_create,
    "user.lock": _user_lock,
    "user.unlock": _user_unlock,
    "user.role": _user_role,
    "user.password_change": _user_password_change,
    "user.password_reset": _user_password_reset,
    "user.language": _user_language,
    "token.create": _token_create,
    "token.revoke": _token_revoke,
    "job.run": _job_run,
    "job.request": _job_request,
    "job.pause": _job_pause,
    "job.resume": _job_resume,
    "plan.from_template": _plan_from_template,
    "seed.load": _seed_load,
}


def generic_sentence(event: Event) -> str:
    """The sentence of a kind this module does not know (or an event of an older shape)."""
    label = KIND_LABELS.get(event.action)
    what = (str(label).lower() if label is not None
            else _("an action recorded as “%(code)s”", code=event.action))
    if event.object_id:
        return _("%(actor)s: %(what)s (%(object)s)", actor=_who(event), what=what,
                 object=_quote(event.object_id))
    return _("%(actor)s: %(what)s", actor=_who(event), what=what)


def describe(event: Event, names: Names) -> str:
    """The event as one sentence in the reader's language."""
    write = SENTENCES.get(event.action)
    if write is None:
        return generic_sentence(event)
    try:
        return write(event, names)
    except (KeyError, TypeError, ValueError, AttributeError):  # an event stored in an older shape
        return generic_sentence(event)

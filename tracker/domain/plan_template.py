"""Turning the provincial plan template (a plan seed) into one commune's plan seed.

The template is an ordinary plan seed (``seed/ngok_bay.yaml``). Adapting it keeps every target
and task (codes, measures, values, deadlines, source quotes), renames the template commune in
titles and unit names, and matches units by code: a unit the commune already has keeps its own
name, kind and parent. The result is again a ``PlanSeed``: loaded by the seeding service, written
to YAML for the commune to adjust, and loaded again (rows are matched by code).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tracker.domain.seed_file import (
    CODE_PATTERN,
    CommuneSpec,
    PlanSeed,
    SeedError,
    TargetSpec,
    TaskSpec,
    UnitSpec,
)

COMMUNE_PREFIXES = ("Xã ", "Phường ", "Đặc khu ")


def short_name(full_name: str) -> str:
    """Return a commune's name without its kind: "Xã Ngọk Bay" -> "Ngọk Bay"."""
    for prefix in COMMUNE_PREFIXES:
        if full_name.casefold().startswith(prefix.casefold()):
            return full_name[len(prefix):].strip()
    return full_name.strip()


def rename_commune(text: str | None, old_full: str, new_full: str) -> str | None:
    """Replace the template commune's name by the commune's, keeping the sentence's case."""
    if text is None:
        return None
    old_short, new_short = short_name(old_full), short_name(new_full)
    lower_new = new_full[:1].lower() + new_full[1:]
    for prefix in COMMUNE_PREFIXES:
        kind = prefix.strip()
        text = text.replace(f"{kind} {old_short}", new_full)
        text = text.replace(f"{kind.lower()} {old_short}", lower_new)
    return re.sub(re.escape(old_short), new_short, text)


def default_plan_code(commune_code: str) -> str:
    """Return the plan code a commune's plan gets from the template: ``KH-CDS-<COMMUNE>``."""
    return f"KH-CDS-{commune_code.upper()}"[:40]


def adapt_template(template: PlanSeed, commune: CommuneSpec, existing_units: dict[str, UnitSpec],
                   plan_code: str | None = None) -> PlanSeed:
    """Return the template as ``commune``'s plan seed; units the commune has are kept as they are."""
    code = plan_code or default_plan_code(commune.code)
    if not CODE_PATTERN.fullmatch(code):
        raise SeedError([f"Mã kế hoạch '{code[:60]}' chỉ được gồm chữ không dấu, số, '_', '.', '-' "
                         "(tối đa 40 ký tự)."])
    old, new = template.commune.name, commune.name

    def unit_of(spec: UnitSpec) -> UnitSpec:
        own = existing_units.get(spec.code)
        if own is not None:
            return own
        return replace(spec, name=rename_commune(spec.name, old, new),
                       duty=rename_commune(spec.duty, old, new))

    # The template's document and what it declares done are the template commune's, not this one's.
    plan = replace(template.plan, code=code, number=None, issued_date=None, document=None,
                   title=rename_commune(template.plan.title, old, new),
                   issuing_body=rename_commune(template.plan.issuing_body, old, new))
    return replace(template, commune=commune, plan=plan, units=tuple(unit_of(u) for u in template.units),
                   tasks=tuple(replace(t, done=None) for t in template.tasks))


def seed_document(seed: PlanSeed) -> dict[str, Any]:
    """Return a plan seed as the YAML document ``parse_plan_seed`` reads back."""
    def day(value):
        return value.isoformat() if value else None

    return {
        "commune": {"code": seed.commune.code, "name": seed.commune.name, "province": seed.commune.province},
        "units": [{"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent, "role": u.duty}
                  for u in seed.units],
        "plan": {"code": seed.plan.code, "number": seed.plan.number, "title": seed.plan.title,
                 "issuing_body": seed.plan.issuing_body, "implements": seed.plan.implements,
                 "issued_date": day(seed.plan.issued_date), "tracking_start": day(seed.plan.tracking_start),
                 "end_date": day(seed.plan.end_date),
                 **({"document": {"number": d.number, "date": day(d.date), "issuer": d.issuer,
                                  "summary": d.summary}} if (d := seed.plan.document) else {})},
        "targets": [{"code": t.code, "title": t.title, "section": t.section, "measure": t.measure,
                     "target": t.target, "baseline": t.baseline, "direction": t.direction,
                     "unit_label": t.unit_label, "numerator_label": t.numerator_label,
                     "denominator_label": t.denominator_label, "start_date": day(t.start_date),
                     "deadline": day(t.deadline), "lead": t.lead, "support": list(t.support),
                     "source": t.source, **({"derived_from": t.derived_from} if t.derived_from else {}),
                     **_assignment(t)}
                    for t in seed.targets],
        "tasks": [{"code": t.code, "title": t.title, "group": t.group, "start_date": day(t.start_date),
                   "deadline": day(t.deadline), "lead": t.lead, "support": list(t.support),
                   "targets": list(t.targets), "source": t.source, "deliverable": t.deliverable,
                   **_assignment(t),
                   **({"done": {"as_of": day(t.done.as_of), "quote": t.done.quote}} if t.done else {})}
                  for t in seed.tasks],
    }


def _assignment(item: TargetSpec | TaskSpec) -> dict[str, Any]:
    """Who assigned the item's units, and the document's words when it was the document."""
    return {"lead_by": item.lead_by, "support_by": item.support_by,
            **({"assignment_source": item.assignment_source} if item.assignment_source else {}),
            **({"assignment_section": item.assignment_section} if item.assignment_section else {})}

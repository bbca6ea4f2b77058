"""The rows of the plan's item tables and an item's light, written in Python: the dashboard's hot loop.

Jinja spends about 16 µs on a row of seven cells (an escape, a lookup and a string piece per
value); this writes one in about 5. Every value taken from the data goes through ``escape``; what
is not escaped is this module's own markup and the fixed colour names and icons. The table around
the rows (caption, header from ``item_columns``) stays in ``plan/_items_table.html``.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from markupsafe import Markup, escape

from tracker.domain.formatting import format_date
from tracker.domain.i18n import gettext as _
from tracker.domain.status import COLOUR_ICONS, COLOUR_LABELS, Status
from tracker.services.status import ItemStatus
from tracker.web import URL_SLOT, fill_slot


def _light(status: Status, words: dict[str, Markup], stale: Markup) -> str:
    colour = status.colour
    html = (f'<span class="light light-{colour}" title="{escape(status.reason)}"><span aria-hidden="true">'
            f'{COLOUR_ICONS[colour]}</span> {words[colour]}</span>')
    return f"{html} <span class=\"stale\">{stale}</span>" if status.stale else html


def _colour_words() -> dict[str, Markup]:
    return {colour: escape(str(label)) for colour, label in COLOUR_LABELS.items()}


def light(status: Status) -> Markup:
    """An item's light: icon, colour word and, on hover, why; marked when its figures are stale."""
    return Markup(_light(status, _colour_words(), escape(_("Stale data"))))  # noqa: S704 (escaped inside)


def assigned_by(item, by: str) -> str:
    """Who assigned an item's units: the plan's document (and its part) or the commune itself."""
    if by == "document":
        if item.assignment_section:
            return _("Per the plan's document (part %(part)s)", part=item.assignment_section)
        return _("Per the plan's document")
    return _("The commune's own assignment")


def item_columns() -> tuple[str, ...]:
    """The names of the item tables' columns, for the header and for each cell on phones."""
    return (_("Code"), _("Content"), _("Lead unit"), _("Deadline"), _("Required"), _("Current"), _("Status"))


def item_rows(rows: list[ItemStatus], as_of: date) -> Markup:
    """The ``<tr>`` of each item: code (linked), title, lead unit (linked), deadline, required,
    current figure and light. Each cell carries its column's name for the phone layout."""
    code, content, unit, deadline, required, current, status = (escape(name) for name in item_columns())
    words, stale = _colour_words(), escape(_("Stale data"))
    item_href = url_for("plan.item", code=URL_SLOT, as_of=as_of.isoformat())
    unit_href = url_for("plan.unit", code=URL_SLOT, as_of=as_of.isoformat())
    html = []
    for row in rows:
        item, lead = row.item, row.item.lead_unit
        html.append(
            f'<tr>\n<td data-label="{code}"><a href="{escape(fill_slot(item_href, item.code))}">'
            f'{escape(item.code)}</a></td>\n'
            f'<td data-label="{content}">{escape(item.title)}</td>\n'
            f'<td data-label="{unit}"><a href="{escape(fill_slot(unit_href, lead.code))}">'
            f'{escape(lead.name)}</a><br><small class="assigned assigned-{escape(item.lead_assigned_by)}">'
            f'{escape(assigned_by(item, item.lead_assigned_by))}</small></td>\n'
            f'<td data-label="{deadline}">{format_date(item.deadline)}</td>\n'
            f'<td data-label="{required}">{escape(row.required_text)}</td>\n'
            f'<td data-label="{current}">{escape(row.current_text)}</td>\n'
            f'<td data-label="{status}">{_light(row.status, words, stale)}</td>\n</tr>\n')
    return Markup("".join(html))  # noqa: S704 (every value was escaped above)

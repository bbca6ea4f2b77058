"""The province level: the roll-up of every commune, its heat-map and its summary report."""

from flask import Blueprint

bp = Blueprint("province", __name__)

# One module per page family; each line its own import (noqa: registered for their routes).
from tracker.web.province import routes  # noqa: E402, F401, I001
from tracker.web.province import paper  # noqa: E402, F401
from tracker.web.province import summary  # noqa: E402, F401
from tracker.web.province import board  # noqa: E402, F401
from tracker.web.province import admin  # noqa: E402, F401

"""The province level: the roll-up of every commune, its heat-map and its summary report."""

from flask import Blueprint

bp = Blueprint("province", __name__)

from tracker.web.province import admin, routes  # noqa: E402, F401

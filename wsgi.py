"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

import gc

from tracker import create_app

app = create_app()
# What is loaded now (the app, SQLAlchemy's mappers, Babel's catalogues, matplotlib) lives as long
# as the worker: moved out of the collector's generations, it is not walked again on every full
# collection that a page's short-lived objects trigger.
gc.freeze()

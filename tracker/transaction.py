"""One transaction boundary per request, per command and per job run.

Services flush and never commit; the face that called them ends the unit of work once, here:

- **A request** (``TrackerFlask.dispatch_request``): the view runs and makes its answer; an answer
  below 400 (a page, a fragment, a redirect, a file) commits, anything else rolls back, and so does
  a view that raised. A refused form (422) therefore never leaves half a change behind, even when
  the service had flushed part of it before refusing. A commit that fails is rolled back and
  answered like any other error, by the face's one error handler: 409 for a constraint a
  concurrent request won, 500 otherwise; never a page that says "saved" over a record that was not.
  A GET (HEAD, OPTIONS) saves nothing whatever its answer: ``tracker.read_only`` commits its
  transaction at teardown only when it changed nothing, and it is rolled back otherwise.
- **A command** (``in_transaction``, on every ``flask`` command that writes): commits when the
  command returns, rolls back when it fails or exits with an error.
- **A job run** (``tracker.jobs.runner.run_job``): the claim, the job's work and the outcome are
  each their own commit there, for the reasons that module gives.

Two answers need to say something the status alone does not: ``keep_changes()`` (a refusal whose
record must stay: a failed sign-in counts against the throttle) and ``discard_changes()`` (a
success that must save nothing: an import's "check only").

Error handlers run after the boundary rolled back; one that writes (the audit of a 403) commits what
it wrote itself, a unit of work of its own.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, Response, g, request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import Conflict, InternalServerError

from tracker.extensions import db

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
KEEP = "tracker_keep_changes"
DISCARD = "tracker_discard_changes"

P = ParamSpec("P")
R = TypeVar("R")


def keep_changes() -> None:
    """Commit this request's changes even though its answer is a refusal (status 400 or more)."""
    g.setdefault(KEEP, True)


def discard_changes() -> None:
    """Roll this request's or command's changes back even though it succeeded (a dry run)."""
    g.setdefault(DISCARD, True)


def _used() -> bool:
    """True when this request or command opened the database session at all."""
    return db.session.registry.has()


def roll_back() -> None:
    """Drop the unit of work (cheap when the session was never used)."""
    if _used():
        db.session.rollback()


def undo() -> None:
    """Drop what a refused service call flushed before the view renders its refusal from the database.

    Not a boundary: the request's end rolls a refusal back anyway. A refusal page that re-reads
    the database (the item's history, the period's figures) must not show the refused change as
    if it were there, so the view undoes it before rendering.
    """
    roll_back()


def commit() -> None:
    """Commit the unit of work; a failed commit is rolled back and raised as an HTTP error.

    An ``IntegrityError`` at commit is a concurrent request that got there first (409); anything
    else is the database failing (500). Either way nothing of this unit of work is saved.
    """
    if not _used():
        return
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        log.warning("commit refused by a constraint: %s", exc.orig)
        raise Conflict() from exc
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.exception("commit failed")
        raise InternalServerError(original_exception=exc) from exc


def _wanted(succeeded: bool) -> bool:
    """Whether to commit: the work succeeded (or kept its refusal) and did not ask to discard."""
    wanted = (succeeded or g.get(KEEP, False)) and not g.get(DISCARD, False)
    g.pop(KEEP, None)
    g.pop(DISCARD, None)
    return wanted


class TrackerFlask(Flask):
    """Flask with the request's transaction boundary around every view."""

    def dispatch_request(self):  # type: ignore[override]
        """Run the view, make its answer, then commit (status < 400) or roll back."""
        try:
            response: Response = self.make_response(super().dispatch_request())
        except BaseException:
            _wanted(False)
            roll_back()
            raise
        if request.method in SAFE_METHODS and not g.get(KEEP, False):
            # A read saves nothing: tracker.read_only ends it at teardown, committing only a
            # transaction that changed nothing (PostgreSQL then keeps its prepared statements).
            _wanted(False)
            return response
        if _wanted(response.status_code < 400):
            commit()
        else:
            roll_back()
        return response


def in_transaction(command: Callable[P, R]) -> Callable[P, R]:
    """Make a CLI command one unit of work: commit when it returns, roll back when it fails.

    Put it directly above the function (below ``with_appcontext`` and the options); ``sys.exit(1)``
    (``SystemExit``) and every other exception roll back.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = command(*args, **kwargs)
        except BaseException:
            _wanted(False)
            roll_back()
            raise
        if not _wanted(True):
            roll_back()
        elif _used():
            try:
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
        return result

    return run

"""End a request that only read by committing its transaction, not rolling it back.

The transaction boundary (``tracker.transaction``) commits a POST that succeeded and rolls back one
that did not; it leaves a GET (and an error page's own reads) to this module, which ends them at
teardown. Nothing a GET changed is ever kept: it is rolled back.

Flask-SQLAlchemy ends every request by closing the session, which rolls the transaction back, and
psycopg forgets every prepared statement of the connection on a ROLLBACK (the transaction may have
dropped what they name). Pages that only read would then have PostgreSQL parse and plan each of
their statements again on every request: about 1 ms for a plan's items with their current
entries, more than running them. Committing a transaction that changed nothing is the same as
rolling it back, and the statements stay prepared.

"Changed nothing" is checked, not assumed: the connection ran only select constructs since the
transaction began (textual SQL counts as a change), and the session holds no pending change (a
commit would flush it).
"""

from __future__ import annotations

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Connection

WROTE = "tracker_wrote"  # key in the connection's info: something other than a select ran


def _began(conn: Connection) -> None:
    conn.info[WROTE] = False


def _executing(conn: Connection, _cursor, _statement, _parameters, context, _executemany) -> None:
    # Only a compiled select construct counts as a read (a select with CTEs included); anything
    # else, textual SQL included, counts as a write.
    compiled = getattr(context, "compiled", None)
    if compiled is None or not getattr(compiled.statement, "is_select", False):
        conn.info[WROTE] = True


def commit_read_only_requests(app: Flask, db: SQLAlchemy) -> None:
    """Watch what the app's engine runs, and commit at the end of each request (app context: a
    CLI command or a job too) that only read.

    Call after ``db.init_app(app)``: teardown functions run in reverse order of registration, so
    this one runs before Flask-SQLAlchemy's closes the session.
    """
    with app.app_context():
        event.listen(db.engine, "begin", _began)
        event.listen(db.engine, "before_cursor_execute", _executing)

    @app.teardown_appcontext
    def commit_if_read_only(exc: BaseException | None) -> None:
        if exc is not None or not db.session.registry.has():  # failed, or never used the database
            return
        session = db.session()
        if not session.in_transaction() or session.dirty or session.new or session.deleted:
            return
        if session.connection().info.get(WROTE) is False:
            session.commit()

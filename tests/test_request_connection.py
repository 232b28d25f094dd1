"""A web request runs its transactions on one connection, hands it back when it ends, and a transaction
opened inside another still gets a connection of its own."""

from __future__ import annotations

from sqlalchemy import event, select, text

from dashboard import db
from dashboard import models as m


def test_a_requests_transactions_share_one_connection_and_nested_ones_do_not(app):
    engine = db.get_engine()
    checkouts = []

    def count(dbapi_connection, _record, _proxy):
        checkouts.append(dbapi_connection)

    event.listen(engine.pool, "checkout", count)
    try:
        with app.server.test_request_context("/"):
            for _ in range(3):
                with db.session_scope() as session:
                    session.execute(select(m.User.id)).all()
            assert len(checkouts) == 1  # three transactions, one connection taken from the pool
            with db.session_scope() as outer:
                outer.execute(select(m.User.id)).all()
                with db.session_scope() as nested:
                    nested.execute(select(m.User.id)).all()
            assert len(checkouts) == 2 and checkouts[1] is not checkouts[0]
            db.release_request_connection()
    finally:
        event.remove(engine.pool, "checkout", count)


def test_every_request_gives_its_connection_back(app, login_as):
    client = login_as("cabinet.member")
    pool = db.get_engine().pool
    for path in ("/", "/milestones", "/healthz", "/no-such-page"):
        client.get(path)
        assert pool.checkedout() == 0, path


def test_a_failed_transaction_leaves_the_next_one_working(app):
    with app.server.test_request_context("/"):
        try:
            with db.session_scope() as session:
                session.execute(text("SELECT * FROM no_such_table"))
        except Exception:  # noqa: BLE001 - the database's own error, whichever driver raised it
            pass
        with db.session_scope() as session:
            assert (
                session.execute(select(m.User.username).where(m.User.username == "admin")).scalar() == "admin"
            )
        db.release_request_connection()

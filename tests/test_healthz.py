"""GET /healthz: version and whether the database answers."""

from __future__ import annotations

from dashboard import __version__
from dashboard.config import load_settings
from dashboard.web import create_app


def test_healthz_reports_version_and_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "version": __version__, "database": True}


def test_healthz_answers_503_when_the_database_does_not(database_url):
    # Nothing listens on port 9 of the loopback address: the connection is refused at once.
    settings = load_settings(
        {"DATABASE_URL": "postgresql+psycopg://nobody:x@127.0.0.1:9/none", "SECRET_KEY": "test"}
    )
    response = create_app(settings).server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] is False
    assert response.json["version"] == __version__

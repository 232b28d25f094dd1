"""Test fixtures: a seeded template database built once, and a fresh copy of it for each test.

Fixtures only: the plain helpers the tests share (demo passwords, signing in, callback bodies) are in
tests/helpers/, which test modules import; none imports this module or another test module.

The suite runs against SQLite by default and against PostgreSQL when TEST_DATABASE_URL names a
database on a throw-away server (scripts/test does both). Each test gets its own database cloned
from the template, so tests never see each other's writes.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dashboard import db
from dashboard.config import Settings
from dashboard.web import create_app
from tests.helpers import login, settings_for

_counter = itertools.count()


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return url or None


class DatabaseFactory:
    """Makes empty or seeded databases on the backend under test."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.pg_url = _postgres_admin_url()
        self.backend = "postgresql" if self.pg_url else "sqlite"
        self._template: str | None = None
        self._created: list[str] = []

    def _pg_admin(self, sql: str) -> None:
        engine = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(sql))
        finally:
            engine.dispose()

    def empty(self) -> str:
        name = f"t{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.workdir / (name + '.db')}"
        self._pg_admin(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return make_url(self.pg_url).set(database=name).render_as_string(hide_password=False)

    def template(self) -> str:
        if self._template is None:
            from dashboard.cli.initdb import init_db

            url = self.empty()
            init_db(settings_for(url))
            db.get_engine().dispose()
            self._template = url
        return self._template

    def seeded(self) -> str:
        source = self.template()
        if self.backend == "sqlite":
            target = self.empty()
            shutil.copyfile(make_url(source).database, make_url(target).database)
            return target
        db.get_engine().dispose()
        name = f"t{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
        template_name = make_url(source).database
        self._pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
        self._created.append(name)
        return make_url(self.pg_url).set(database=name).render_as_string(hide_password=False)

    def cleanup(self) -> None:
        if self.backend != "postgresql":
            return
        db.get_engine().dispose()
        for name in self._created:
            if re.fullmatch(r"[A-Za-z0-9_]+", name):
                self._drop(name)

    def _drop(self, name: str) -> None:
        # A server-side worker still connected (one the test user may not terminate) leaves within
        # moments; try again briefly before reporting it.
        for attempt in range(20):
            try:
                self._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except DBAPIError:
                if attempt == 19:
                    raise
                time.sleep(0.5)


@pytest.fixture(scope="session")
def databases():
    workdir = Path(tempfile.mkdtemp(prefix="dashboard-tests-"))
    factory = DatabaseFactory(workdir)
    yield factory
    factory.cleanup()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def database_url(databases) -> str:
    """A freshly seeded database (demo users included) for this test alone."""
    url = databases.seeded()
    db.configure(url)
    return url


@pytest.fixture
def settings(database_url) -> Settings:
    return settings_for(database_url)


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def login_as(app):
    """Signs in as a demo user on a new browser-like client (each call is its own session)."""

    def sign_in(username: str):
        client = app.server.test_client()
        response = login(client, username)
        assert response.status_code == 302, f"could not sign in as {username}"
        return client

    return sign_in


def pytest_setup_options():
    """Headless Chromium for dash[testing] (see TOOLCHAIN.md for why each flag)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--lang=en-GB",
        f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
    ):
        options.add_argument(argument)
    return options

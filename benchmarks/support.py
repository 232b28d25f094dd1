"""Shared pieces of the benchmark: servers on loopback, signing in, statistics, the machine's description."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dashboard.cli.initdb import DEMO_USERS

ROOT = Path(__file__).resolve().parent.parent
PG_SCRIPT = ROOT / "scripts" / "pg_server.sh"
DEMO_PASSWORDS = {user["username"]: user["password"] for user in DEMO_USERS}
SECRET_KEY = "benchmark-secret-key-shared-by-every-worker"

log = logging.getLogger("benchmarks")


class BenchmarkError(RuntimeError):
    """The benchmark itself could not run (as opposed to a budget not being met)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- statistics -------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def summarise(seconds: list[float]) -> dict:
    """p50/p95/mean/min/max in milliseconds of a list of durations in seconds."""
    ms = [value * 1000 for value in seconds]
    if not ms:
        return {"n": 0, "p50": None, "p95": None, "mean": None, "min": None, "max": None}
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "mean": sum(ms) / len(ms),
        "min": min(ms),
        "max": max(ms),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


# --- PostgreSQL ---------------------------------------------------------------------------------------


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL server started by scripts/pg_server.sh in `directory`."""

    directory: Path
    port: int
    admin_url: str = ""
    started: bool = False

    def start(self) -> str:
        data_exists = (self.directory / "data" / "PG_VERSION").exists()
        action = "restart" if data_exists else "start"
        result = subprocess.run(
            [str(PG_SCRIPT), action, str(self.directory), str(self.port)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BenchmarkError(f"PostgreSQL did not start ({action}): {result.stderr.strip()[-2000:]}")
        self.started = True
        # `restart` prints nothing; the role and database are the ones `start` created.
        self.admin_url = f"postgresql+psycopg://dashboard:dashboard-test@127.0.0.1:{self.port}/dashboard"
        return self.admin_url

    def stop(self) -> None:
        if self.started:
            subprocess.run([str(PG_SCRIPT), "stop", str(self.directory)], check=False, capture_output=True)
            self.started = False

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _admin(self, *statements: str) -> list:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                return [connection.execute(text(statement)).all() for statement in statements]
        finally:
            engine.dispose()

    def databases(self) -> set[str]:
        rows = self._admin("SELECT datname FROM pg_database")[0]
        return {row[0] for row in rows}

    def create_database(self, name: str, template: str | None = None) -> str:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or (
            template and not re.fullmatch(r"[a-z0-9_]+", template)
        ):
            raise ValueError(name)
        clause = f' TEMPLATE "{template}"' if template else ""
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        finally:
            engine.dispose()
        return self.url(name)

    def vacuum_analyze(self, database: str) -> None:
        """What autovacuum does on a live server: fresh planner statistics and visibility maps."""
        engine = create_engine(self.url(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text("VACUUM (ANALYZE)"))
        finally:
            engine.dispose()

    def server_version(self) -> str:
        return self._admin("SHOW server_version")[0][0][0]


def make_temp_dir(prefix: str) -> Path:
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    # The server runs as the postgres user when we are root: it must be able to enter the directory.
    os.chmod(directory, 0o755)
    return directory


# --- HTTP ---------------------------------------------------------------------------------------------


def sign_in(base: str, username: str, timeout: float = 30) -> requests.Session:
    """A requests session signed in through the real form, carrying the CSRF header Dash's renderer sends."""
    session = requests.Session()
    page = session.get(base + "/login", timeout=timeout)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if page.status_code != 200 or match is None:
        raise BenchmarkError(f"GET /login answered {page.status_code} without a csrf_token")
    response = session.post(
        base + "/login",
        data={"username": username, "password": DEMO_PASSWORDS[username], "csrf_token": match.group(1)},
        allow_redirects=False,
        timeout=timeout,
    )
    if response.status_code != 302:
        raise BenchmarkError(f"could not sign in as {username}: HTTP {response.status_code}")
    session.headers["X-CSRFToken"] = session.cookies["_csrf_token"]
    return session


def wait_for_http(url: str, seconds: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise BenchmarkError(f"the server exited with status {process.returncode} before answering {url}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise BenchmarkError(f"{url} did not answer within {seconds:.0f} s")


class ThreadedServer:
    """A WSGI app served by werkzeug on a free loopback port, in a background thread of this process."""

    def __init__(self, wsgi_app):
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="bench-server", daemon=True)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@dataclass
class Gunicorn:
    """`gunicorn app:server` from the repository root, as the Dockerfile deploys it."""

    database_url: str
    workers: int
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    target: str = "app:server"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "DASHBOARD_ENV": "development",
            "PYTHONPATH": str(ROOT),
        }
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                self.target,
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_http(self.base + ("/healthz" if self.target == "app:server" else "/"), 90, self.process)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def log_tail(self, characters: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-characters:]
        except OSError:
            return ""


# --- headless Chromium --------------------------------------------------------------------------------


def chromium_driver(user_data_dir: Path):
    """Headless Chromium with the DevTools performance log on."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
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
        f"--user-data-dir={user_data_dir}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    # The measured loads set the HTTP cache themselves, on their own DevTools session.
    driver.execute_cdp_cmd("Network.enable", {})
    return driver


def browser_sign_in(driver, base: str, username: str, attempts: int = 2) -> None:
    """Sign in through the real form in Chromium (once more if the first try does not land on /)."""
    for attempt in range(1, attempts + 1):
        try:
            _browser_sign_in_once(driver, base, username)
            return
        except BenchmarkError as exc:
            if attempt == attempts:
                raise
            log.warning("%s; trying again", exc)
            driver.delete_all_cookies()


def _browser_sign_in_once(driver, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    # Land on /healthz, not the overview: the measured loads start from a page that is not drawing.
    driver.get(base + "/login?next=/healthz")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(DEMO_PASSWORDS[username])
    driver.find_element(By.ID, "sign-in").click()
    try:
        WebDriverWait(driver, 30).until(expected_conditions.url_to_be(base + "/healthz"))
    except Exception as exc:
        raise BenchmarkError(
            f"Chromium could not sign in as {username}: at {driver.current_url}: "
            f"{driver.find_element(By.TAG_NAME, 'body').text[:500]}"
        ) from exc


def performance_events(driver) -> list[dict]:
    """DevTools events logged since the last call (the log is drained on every read)."""
    return [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]


# --- the machine ----------------------------------------------------------------------------------------


def _command_output(*command: str) -> str | None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = [line for line in (result.stdout or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else None


def machine_info() -> dict:
    cpu_model, cpus = None, 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and cpu_model is None:
                cpu_model = line.split(":", 1)[1].strip()
            if line.startswith("processor"):
                cpus += 1
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (kernel {platform.release()})"
    except OSError:
        pass
    pg_bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    packages = {}
    for name in ("dash", "dash-bootstrap-components", "dash-ag-grid", "plotly", "Flask", "Flask-Compress",
                 "SQLAlchemy", "psycopg", "pandas", "gunicorn", "selenium"):  # fmt: skip
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "cpu_model": cpu_model,
        "cpu_count": cpus or os.cpu_count(),
        "memory_gib": memory_gib,
        "os": os_name,
        "python": platform.python_version(),
        "postgresql_binaries": _command_output(str(pg_bins[-1]), "--version") if pg_bins else None,
        "chromium": _command_output(shutil.which("chromium") or "chromium", "--version"),
        "chromedriver": _command_output(shutil.which("chromedriver") or "chromedriver", "--version"),
        "packages": packages,
    }

"""A small Chrome DevTools Protocol client of our own, beside chromedriver.

chromedriver answers no command (not even reading its performance log) while the page's renderer
is busy, and a page that takes minutes to draw would hold the benchmark for minutes. This client
talks to the same tab over its own DevTools WebSocket: network events come from the browser process
and keep arriving while the renderer works, so a load can be watched, and given up on, on our clock.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from urllib.parse import urlsplit

import requests
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

from benchmarks.support import BenchmarkError


class DevTools:
    """One DevTools session on the tab chromedriver is driving."""

    def __init__(self, driver, timeout: float = 30):
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        handle = driver.current_window_handle
        targets = requests.get(f"http://{address}/json/list", timeout=timeout).json()
        matching = [target for target in targets if target["id"] == handle]
        if not matching:
            raise BenchmarkError(f"no DevTools target for the current tab ({handle})")
        url = urlsplit(matching[0]["webSocketDebuggerUrl"])
        self._socket = socket.create_connection((url.hostname, url.port), timeout=timeout)
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._socket.sendall(self._ws.send(Request(host=url.netloc, target=url.path)))
        self._lock = threading.Lock()
        self._condition = threading.Condition(self._lock)
        self._results: dict[int, dict] = {}
        self._events: list[dict] = []
        self._next_id = 0
        self._closed = False
        self._handshake(timeout)
        self._socket.settimeout(None)
        self._reader = threading.Thread(target=self._read, name="bench-devtools", daemon=True)
        self._reader.start()

    def _handshake(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._ws.receive_data(self._socket.recv(65536))
            for event in self._ws.events():
                if isinstance(event, AcceptConnection):
                    return
                if isinstance(event, RejectConnection):
                    raise BenchmarkError(f"DevTools refused the WebSocket (HTTP {event.status_code})")
        raise BenchmarkError("DevTools WebSocket handshake timed out")

    def _read(self) -> None:
        parts: list[str] = []
        while not self._closed:
            try:
                data = self._socket.recv(1 << 20)
            except OSError:
                break
            if not data:
                break
            self._ws.receive_data(data)
            for event in self._ws.events():
                if isinstance(event, Ping):
                    self._send_raw(self._ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    self._closed = True
                elif isinstance(event, Message):
                    parts.append(event.data if isinstance(event.data, str) else event.data.decode())
                    if event.message_finished:
                        message = json.loads("".join(parts))
                        parts = []
                        with self._condition:
                            if "id" in message:
                                self._results[message["id"]] = message
                            else:
                                self._events.append(message)
                            self._condition.notify_all()
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def _send_raw(self, data: bytes) -> None:
        try:
            self._socket.sendall(data)
        except OSError:
            self._closed = True

    def call(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        """Send a command and wait for its answer."""
        with self._condition:
            self._next_id += 1
            message_id = self._next_id
        text = json.dumps({"id": message_id, "method": method, "params": params or {}})
        self._send_raw(self._ws.send(TextMessage(data=text)))
        deadline = time.monotonic() + timeout
        with self._condition:
            while message_id not in self._results:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise BenchmarkError(f"DevTools did not answer {method} within {timeout:.0f} s")
                self._condition.wait(remaining)
            answer = self._results.pop(message_id)
        if "error" in answer:
            raise BenchmarkError(f"DevTools {method}: {answer['error']}")
        return answer.get("result", {})

    def events(self) -> list[dict]:
        """Events received since the last call."""
        with self._condition:
            events, self._events = self._events, []
        return events

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)
        self._socket.close()
        self._reader.join(timeout=5)

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def console_marks(events: list[dict], marker: str) -> list:
    """Arguments after `marker` of every `console.debug(marker, value)` in `events`."""
    found = []
    for event in events:
        if event.get("method") != "Runtime.consoleAPICalled":
            continue
        arguments = event["params"].get("args", [])
        if arguments and arguments[0].get("value") == marker:
            found.append(arguments[1].get("value") if len(arguments) > 1 else None)
    return found

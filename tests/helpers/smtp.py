"""A real SMTP server on the loopback address (aiosmtpd), keeping what it is sent to read back."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Keeper:
    """The server's handler: keeps each message; refuses the addresses in `refused`; with
    `stop_on_message` set to n, the server is stopped while the nth message is being sent."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.stop_on_message: int | None = None
        self.controller: Controller | None = None
        self._started = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox here"
        self._started += 1
        if self.stop_on_message is not None and self._started == self.stop_on_message:
            threading.Thread(target=self.controller.stop, daemon=True).start()
            await asyncio.sleep(30)  # cut off by the stop, mid-conversation
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address in str(message["To"])]


class MailServer:
    """`with MailServer() as server:` a server on 127.0.0.1:`server.port`; `server.keeper` holds the mail."""

    def __init__(self, port: int | None = None, keeper: Keeper | None = None):
        self.port = port or free_port()
        self.keeper = keeper or Keeper()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)
        self.keeper.controller = self.controller

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        with contextlib.suppress(AssertionError):  # already stopped (by stop_on_message)
            self.controller.stop()

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def environment(self, base_url: str = "https://tracker.example.gov.uk") -> dict[str, str]:
        """The settings that send mail through this server (no TLS on loopback)."""
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),
            "SMTP_SECURITY": "none",
            "MAIL_FROM": "programme.office@example.gov.uk",
            "PUBLIC_BASE_URL": base_url,
        }

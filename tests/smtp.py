"""A real SMTP server on loopback for the tests (aiosmtpd), recording what it receives."""

import email
import socket
from email import policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.messages = []
        self.fail = False  # when set, refuse every message with a temporary error

    async def handle_DATA(self, server, session, envelope):
        if self.fail:
            return "451 4.3.0 Temporary failure, try again later"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 OK"

    def by_recipient(self):
        return {rcpt[0]: message for rcpt, message in self.messages}


def text_of(message, subtype="plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

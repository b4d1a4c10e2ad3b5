"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, parsed."""

import contextlib
import email
import socket
from email import policy

from aiosmtpd.controller import Controller


class Mailbox:
    """The aiosmtpd handler: parses each message; can be told to refuse."""

    def __init__(self):
        self.messages = []
        self.accept_only = None  # refuse (451) once this many are received
        self.refusal = "451 4.3.0 Mail server busy, try again later"

    async def handle_DATA(self, server, session, envelope):
        if self.accept_only is not None and len(self.messages) >= self.accept_only:
            return self.refusal
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 2.0.0 OK"

    def to(self, address):
        return [m for m in self.messages if address in m.envelope_recipients]

    @property
    def recipients(self):
        return sorted(r for m in self.messages for r in m.envelope_recipients)

    def clear(self):
        self.messages.clear()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_mailbox(settings):
    """Start the server and point Django's SMTP backend at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield mailbox
    finally:
        controller.stop()

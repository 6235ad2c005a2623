"""A real SMTP server on loopback for the tests (aiosmtpd), and what it received."""
import email
import email.policy
import socket
import time


class Mailbox:
    """What the SMTP server received; it answers 451 to the first `refusals` recipients."""

    def __init__(self, refusals=0):
        self.refusals = refusals
        self.recipients_seen = 0
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients_seen += 1
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({
            "from": envelope.mail_from, "to": list(envelope.rcpt_tos),
            "message": email.message_from_bytes(envelope.original_content, policy=email.policy.default),
            "authenticated": session.authenticated,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
        })
        return "250 Message accepted"

    def wait(self, count, timeout=20):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"
        return self.messages[count - 1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

"""A mail backend that fails the way SMTP servers do, for the retry tests."""

from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

# How the next sends fail: a list of exceptions to raise, one per send, then sends succeed.
FAILURES: list[Exception] = []


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        if FAILURES:
            raise FAILURES.pop(0)
        return super().send_messages(messages)


def disconnected() -> Exception:
    return SMTPServerDisconnected("Connection unexpectedly closed")


def refused(code: int = 550) -> Exception:
    return SMTPRecipientsRefused({"x@example.com": (code, b"No such user")})


__all__ = ["FAILURES", "FlakyBackend", "disconnected", "mail", "refused"]

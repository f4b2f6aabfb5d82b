"""Text messages (SMS) through a pluggable backend, as Django sends e-mail.

`SMS_BACKEND` names the backend class: `ConsoleBackend` in development (the message
is printed), `LocmemBackend` in tests (kept in `outbox`), `BrevoBackend` in
production (Brevo's transactional SMS API, configured by `SMS_API_KEY` and
`SMS_SENDER`). Empty: no provider, nothing is sent, and the caller says so (staff
call instead). A backend raises `SmsError` on a failure; it never logs a number
nor a text.
"""

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

outbox = []  # LocmemBackend's messages, for tests
BREVO_URL = "https://api.brevo.com/v3/transactionalSMS/send"
TIMEOUT = 10  # seconds


class SmsError(Exception):
    """The provider refused or could not be reached (the class names why, never whom)."""


@dataclass(frozen=True)
class TextMessage:
    to: str  # E.164: +33612345678
    body: str


class ConsoleBackend:
    def send(self, message):
        sys.stdout.write(f"SMS à {message.to} :\n{message.body}\n{'-' * 40}\n")
        sys.stdout.flush()


class LocmemBackend:
    def send(self, message):
        outbox.append(message)


class BrevoBackend:
    """Brevo's transactional SMS (POST /v3/transactionalSMS/send)."""

    def __init__(self):
        self.api_key = settings.SMS_API_KEY
        self.sender = settings.SMS_SENDER
        self.url = getattr(settings, "SMS_API_URL", "") or BREVO_URL

    def send(self, message):
        payload = {
            "sender": self.sender,
            "recipient": message.to.removeprefix("+"),
            "content": message.body,
            "type": "transactional",
            "unicodeEnabled": True,
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={
                "api-key": self.api_key,
                "accept": "application/json",
                "content-type": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:  # refused: the response is closed
            error.close()
            raise SmsError(type(error).__name__) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(type(error).__name__) from None


def is_configured():
    return bool(getattr(settings, "SMS_BACKEND", ""))


def send_sms(to, body):
    """Send one text message through the configured backend; False if there is none."""
    if not is_configured():
        return False
    import_string(settings.SMS_BACKEND)().send(TextMessage(to=to, body=body))
    return True

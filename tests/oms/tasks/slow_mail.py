"""An email backend for worker tests: Django's file backend behind a slow mail server (0.3 s a message), so a
worker killed during a burst is most likely killed in the middle of sending."""

import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        time.sleep(0.3)
        return super().send_messages(email_messages)

"""Real mail-server faults on local ports, for the email tests: a port where nothing listens,
and a small SMTP server that answers every recipient with the reply it is given. Django's
SMTP backend meets them over real sockets; nothing is patched."""

from __future__ import annotations

import socket
import threading


def closed_port() -> int:
    """A local port where nothing listens (bound for a moment, then let go): connecting to it
    is refused, as it is when the mail server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    """Send email over SMTP to 127.0.0.1:`port`, as production does to its mail server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


class RecipientRefusingServer:
    """An SMTP server on a local port that answers every RCPT TO with `reply` (say
    "550 5.1.1 User unknown", a refusal for good, or "421 4.7.0 Try again later"), and counts
    the connections it was sent. Use it as a context manager."""

    def __init__(self, reply: str):
        self.reply = reply
        self.connections = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RecipientRefusingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._socket.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                connection, _address = self._socket.accept()
            except OSError:  # closed by __exit__
                return
            self.connections += 1
            with connection:
                self._converse(connection)

    def _converse(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        stream = connection.makefile("rb")

        def say(line: str) -> None:
            connection.sendall(line.encode() + b"\r\n")

        say("220 mail.test ESMTP")
        try:
            for raw in stream:
                command = raw[:4].upper()
                if command == b"EHLO":
                    say("250-mail.test")
                    say("250 8BITMIME")
                elif command in (b"HELO", b"MAIL", b"RSET", b"NOOP"):
                    say("250 2.0.0 OK")
                elif command == b"RCPT":
                    say(self.reply)
                elif command == b"QUIT":
                    say("221 2.0.0 Bye")
                    return
                else:
                    say("502 5.5.2 Not implemented")
        except OSError:
            return

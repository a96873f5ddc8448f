#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for Gazette's tests (aiosmtpd). Prints "PORT <n>" once
listening. Every accepted message is written to --spool as <n>.eml, and one JSON line per
accepted message is appended to <spool>/accepted.jsonl (envelope and Message-ID).

Recipients choose how the server behaves, so one run can mix outcomes:
  tempfail-*@…   451 at RCPT the first time, accepted afterwards
  busy-*@…       421 at RCPT every time (service not available)
  reject-*@…     550 at RCPT (no such user)
  drop-*@…       the connection is closed at the end of DATA the first time, without a reply
  die-*@…        the whole server exits at the end of DATA, without a reply, unless
                 <spool>/died exists (it is created first): the server gone mid-run, once
  slow-*@…       stored and recorded like any other message, then the 250 waits 30 s, the first
                 time: a server busy after taking the message, to kill a client in that window
  hold-*@…       the whole message is read (the final "." included), then the server appends the
                 recipient to <spool>/holding and waits up to 60 s before its 250, the first
                 time, so a test can kill the client in exactly that window. What becomes of a message
                 whose client vanishes while the server waits depends on --client-gone.
anything else is accepted with 250.
--reply-delay-ms N  every message waits N ms after its final "." before the 250 (a slow queue or
                 a before-queue content filter), again ruled by --client-gone.
--client-gone store|discard  a message whose client disconnects while the server delays its
                 reply is kept (store, the default: the server had queued it) or thrown away
                 (discard: as a before-queue filter does when the client vanishes first). Each
                 discarded message is appended to <spool>/discarded.jsonl.
--port N listens on N (to restart a server where a config expects it); default: a free port.
--auth USER:PASS requires AUTH PLAIN/LOGIN with those credentials.
Each command a client sends is appended to <spool>/commands.log by name only (AUTH keeps its
mechanism, never its credentials), so a test can tell which commands a session used.
--tls makes a self-signed certificate for 127.0.0.1 (<spool>/cert.pem, with openssl) and
offers and requires STARTTLS."""
import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, spool, reply_delay=0.0, client_gone="store"):
        self.spool = spool
        self.reply_delay = reply_delay
        self.client_gone = client_gone
        self.seen = {}
        self.lock = threading.Lock()
        self.count = 0

    def attempts(self, address):
        with self.lock:
            self.seen[address] = self.seen.get(address, 0) + 1
            return self.seen[address]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("tempfail-") and self.attempts("rcpt:" + address) == 1:
            return "451 4.3.0 Try again later"
        if local.startswith("busy-"):
            return "421 4.3.2 Service not available, closing channel"
        if local.startswith("reject-"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            local = address.split("@", 1)[0].lower()
            if local.startswith("drop-") and self.attempts("data:" + address) == 1:
                server.transport.abort()  # gone at once, no reply: as if the network died
                return None
            marker = os.path.join(self.spool, "died")
            if local.startswith("die-") and not os.path.exists(marker):
                open(marker, "w").close()
                os._exit(1)  # the server process is gone: no reply, no more connections
        hold = any(address.split("@", 1)[0].lower().startswith("hold-") and self.attempts("hold:" + address) == 1
                   for address in envelope.rcpt_tos)
        delay = 60.0 if hold else self.reply_delay
        if delay <= 0 or self.client_gone == "store":
            self.store(envelope)
        if hold:
            with self.lock, open(os.path.join(self.spool, "holding"), "a", encoding="utf-8") as f:
                f.write(" ".join(envelope.rcpt_tos) + "\n")
        if delay > 0:
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:  # the client disconnected before the reply
                if self.client_gone == "discard":
                    with self.lock, open(os.path.join(self.spool, "discarded.jsonl"), "a", encoding="utf-8") as f:
                        f.write(json.dumps(self.record(envelope)) + "\n")
                raise
            if self.client_gone == "discard":
                self.store(envelope)
        for address in envelope.rcpt_tos:
            if address.split("@", 1)[0].lower().startswith("slow-") and self.attempts("slow:" + address) == 1:
                await asyncio.sleep(30)
        return "250 2.0.0 Message accepted"

    @staticmethod
    def record(envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        return {"from": envelope.mail_from, "to": envelope.rcpt_tos, "messageID": str(message.get("Message-ID", ""))}

    def store(self, envelope):
        """Keeps the message: its file in the spool and a line in accepted.jsonl."""
        with self.lock:
            self.count += 1
            number = self.count
        with open(os.path.join(self.spool, f"{number:05d}.eml"), "wb") as f:
            f.write(envelope.original_content)
        with self.lock, open(os.path.join(self.spool, "accepted.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(self.record(envelope)) + "\n")


class CommandLog(logging.Handler):
    """aiosmtpd logs every command line it reads as "%r >> %r" (peer, line): keep the name."""

    def __init__(self, path):
        super().__init__(logging.INFO)
        self.path = path

    def emit(self, record):
        if record.msg != "%r >> %r" or len(record.args) != 2 or not isinstance(record.args[1], bytes):
            return
        words = record.args[1].decode("ascii", "replace").split()
        if not words:
            return
        name = words[0].upper()
        if name == "AUTH" and len(words) > 1:
            name += " " + words[1].upper()
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(name + "\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--spool", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--port", type=int)
    parser.add_argument("--reply-delay-ms", type=int, default=0)
    parser.add_argument("--client-gone", choices=["store", "discard"], default="store")
    args = parser.parse_args()
    os.makedirs(args.spool, exist_ok=True)
    mail_log = logging.getLogger("mail.log")
    mail_log.setLevel(logging.INFO)
    mail_log.propagate = False
    mail_log.addHandler(CommandLog(os.path.join(args.spool, "commands.log")))
    kwargs = {}
    if args.tls:
        cert, key = os.path.join(args.spool, "cert.pem"), os.path.join(args.spool, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        kwargs.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=args.tls)
    port = args.port or free_port()
    controller = Controller(Handler(args.spool, args.reply_delay_ms / 1000, args.client_gone), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print(f"PORT {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())

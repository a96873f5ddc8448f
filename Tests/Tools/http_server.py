#!/usr/bin/env python3
"""A real HTTP server on 127.0.0.1 for Gazette's tests: serves a folder with ETag and
Last-Modified validators and answers conditional requests with 304, like a news site's
web server. Prints "PORT <n>" once listening, then serves until killed. Requests are
logged to the file named by --log, one path per line, so tests can count them."""
import argparse
import email.utils
import hashlib
import http.server
import os
import signal
import sys


def make_handler(root, log_path):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if log_path:
                with open(log_path, "a", encoding="utf-8") as log:
                    log.write(self.path + "\n")
            route, _, query = self.path.partition("?")
            if route == "/redirect":
                # /redirect?to=URL answers 302 to URL, for redirect tests.
                self.send_response(302)
                self.send_header("Location", query[len("to="):])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            relative = route.lstrip("/")
            path = os.path.realpath(os.path.join(root, relative))
            if not path.startswith(os.path.realpath(root)) or not os.path.isfile(path):
                body = b"<html><body>Not found</body></html>"
                self.send_response(404)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            with open(path, "rb") as f:
                body = f.read()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            kind = "application/atom+xml" if path.endswith(".atom") else "application/rss+xml"
            if path.endswith(".html"):
                kind = "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main():
    # A child started from a Swift test thread inherits that thread's blocked signals;
    # unblock SIGTERM so the test can stop this server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--log")
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args.root, args.log))
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())

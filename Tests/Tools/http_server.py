#!/usr/bin/env python3
"""A real HTTP server on 127.0.0.1 for Gazette's tests: serves a folder with ETag and
Last-Modified validators and answers conditional requests with 304, like a news site's
web server, plus the misbehaviours real servers show. Prints "PORT <n>" once listening,
then serves until killed. Requests are logged to the file named by --log, one
"path<TAB>unix-time" per line, so tests can count them and measure gaps.

Routes besides the files:
  /redirect?to=URL[&code=301]  a redirect (302 unless code says otherwise)
  /loop/a, /loop/b             redirect to each other forever
  /chain/N                     N redirects in a row, then /feed.xml
  /status/CODE[?retry-after=V] that status, with Retry-After when given
  /bomb                        a gzip bomb: 1 KiB on the wire, 64 MiB unpacked
  /endless                     a chunked body that never ends
  /drip                        one byte a second, forever
  /stats                       {"max_in_flight": n, "requests": n} as JSON; max_in_flight
                               counts requests waiting out their delay= at once
Query options on files:
  gzip=1 | deflate=1 | br=1    compress the body (always: a client that cannot decode fails)
  validators=lm | none         send only Last-Modified, or no validators
  cache=VALUE                  a Cache-Control header
  type=VALUE                   the Content-Type header
  delay=SECONDS                wait before answering
  stall=1                      send half the body, then nothing for a minute
"""
import argparse
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
import zlib

LOCK = threading.Lock()
STATS = {"in_flight": 0, "max_in_flight": 0, "requests": 0}
BOMB = []  # made on first use: compressing 64 MiB costs a second of CPU


def bomb():
    with LOCK:
        if not BOMB:
            BOMB.append(gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9))
    return BOMB[0]


def make_handler(root, log_path):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send_body(self, status, body, headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if not self.path.startswith("/stats"):
                with LOCK:
                    STATS["requests"] += 1
            try:
                if log_path and not self.path.startswith("/stats"):
                    with open(log_path, "a", encoding="utf-8") as log:
                        log.write(f"{self.path}\t{time.time():.4f}\n")
                self.route()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def route(self):
            route, _, query_text = self.path.partition("?")
            query = dict(urllib.parse.parse_qsl(query_text, keep_blank_values=True))
            if "delay" in query:
                # Counted while the request waits, before any byte of the answer is sent, so
                # a client's next request cannot overlap the end of this one in the count.
                with LOCK:
                    STATS["in_flight"] += 1
                    STATS["max_in_flight"] = max(STATS["max_in_flight"], STATS["in_flight"])
                time.sleep(float(query["delay"]))
                with LOCK:
                    STATS["in_flight"] -= 1
            if route == "/stats":
                return self.send_body(200, json.dumps(STATS).encode(), [("Content-Type", "application/json")])
            if route == "/redirect":
                return self.send_body(int(query.get("code", "302")), b"", [("Location", query_text.split("to=", 1)[1].split("&code=")[0])])
            if route == "/loop/a":
                return self.send_body(301, b"", [("Location", "/loop/b")])
            if route == "/loop/b":
                return self.send_body(301, b"", [("Location", "/loop/a")])
            if route.startswith("/chain/"):
                left = int(route.rsplit("/", 1)[1])
                return self.send_body(302, b"", [("Location", f"/chain/{left - 1}" if left > 1 else "/feed.xml")])
            if route.startswith("/status/"):
                headers = [("Content-Type", "text/html")]
                if "retry-after" in query:
                    headers.append(("Retry-After", query["retry-after"]))
                return self.send_body(int(route.rsplit("/", 1)[1]), b"<html><body>Error</body></html>", headers)
            if route == "/bomb":
                return self.send_body(200, bomb(), [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")])
            if route == "/endless":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<item><title>more</title></item>" * 256
                while True:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            if route == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                while True:
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(1)
            return self.serve_file(route, query)

        def serve_file(self, route, query):
            path = os.path.realpath(os.path.join(root, route.lstrip("/")))
            if os.path.isdir(path):
                path = os.path.join(path, "index.html")
            if not path.startswith(os.path.realpath(root)) or not os.path.isfile(path):
                return self.send_body(404, b"<html><body>Not found</body></html>", [("Content-Type", "text/html")])
            with open(path, "rb") as f:
                body = f.read()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
            validators = query.get("validators", "all")
            headers = []
            if validators == "all":
                headers.append(("ETag", etag))
            if validators in ("all", "lm"):
                headers.append(("Last-Modified", modified))
            if "cache" in query:
                headers.append(("Cache-Control", query["cache"]))
            unchanged = (validators == "all" and self.headers.get("If-None-Match") == etag) or (
                validators == "lm" and self.headers.get("If-Modified-Since") == modified)
            if unchanged:
                self.send_response(304)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                return
            kind = "application/atom+xml" if path.endswith(".atom") else "application/rss+xml"
            if path.endswith(".html"):
                # No charset: pages declare their own (<meta charset>), as the sample's do.
                kind = "text/html"
            if path.endswith(".json"):
                kind = "application/feed+json"
            headers.append(("Content-Type", query.get("type", kind)))
            if query.get("gzip") == "1":  # always, so a client that cannot decode it fails
                body = gzip.compress(body)
                headers.append(("Content-Encoding", "gzip"))
            elif query.get("br") == "1":
                import brotli  # from PyPI (scripts/install-deps.sh --test)
                body = brotli.compress(body)
                headers.append(("Content-Encoding", "br"))
            elif query.get("deflate") == "1":
                body = zlib.compress(body)
                headers.append(("Content-Encoding", "deflate"))
            if query.get("stall") == "1":
                self.send_response(200)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                time.sleep(60)
                return
            self.send_body(200, body, headers)

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
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())

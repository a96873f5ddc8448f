#!/usr/bin/env python3
"""Parses .eml files with Python's standard MIME parser (email.policy.default) and prints,
as JSON, what a mail client would see: headers, the parts' types and charsets, the decoded
bodies, every defect, and the longest raw line. Gazette's tests assert on this output."""
import email
import email.policy
import json
import sys

results = []
for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    defects = [type(d).__name__ for d in message.defects]
    for part in message.walk():
        defects += [type(d).__name__ for d in part.defects]
        if part.is_multipart():
            continue
        parts.append({
            "type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "encoding": part.get("Content-Transfer-Encoding"),
            "body": part.get_content().replace("\r\n", "\n"),
        })
    lines = raw.split(b"\r\n")
    body_start = lines.index(b"") if b"" in lines else len(lines)
    results.append({
        "path": path,
        "type": message.get_content_type(),
        "headers": {k: str(v) for k, v in message.items()},
        "parts": parts,
        "defects": defects,
        "maxLineLength": max(len(line) for line in lines),
        "maxBodyLineLength": max([len(line) for line in lines[body_start:]] or [0]),
        "bareLF": b"\n" in raw.replace(b"\r\n", b""),
        "nonASCII": any(b > 127 for b in raw),
    })
json.dump(results, sys.stdout, ensure_ascii=False)

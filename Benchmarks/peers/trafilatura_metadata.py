#!/usr/bin/env python3
"""trafilatura's metadata for each page, as JSON Lines: the peer of `gazette extract --json`.

    trafilatura_metadata.py URL=FILE [URL=FILE …]
"""
import json
import sys

from trafilatura.metadata import extract_metadata

for argument in sys.argv[1:]:
    url, path = argument.split("=", 1)
    with open(path, encoding="utf-8") as handle:
        html = handle.read()
    document = extract_metadata(html, default_url=url)
    print(json.dumps({
        "title": document.title,
        "authors": [name.strip() for name in (document.author or "").split(";") if name.strip()],
        "date": document.date,
        "section": document.categories or [],
        "image": document.image,
        "site_name": document.sitename,
    }, ensure_ascii=False))

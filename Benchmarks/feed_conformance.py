#!/usr/bin/env python3
"""Feed conformance: `gazette parse-feed --json` beside Universal Feed Parser (PyPI
`feedparser`) over the feed fixtures, agreement reported per category.

    python3 Benchmarks/feed_conformance.py [--gazette .build/debug/gazette] [--python PY] [FILES…]

PY is a Python with feedparser installed (default: .build/bench/venv/bin/python, which
scripts/install-bench-deps.sh fills, else this Python). With no FILES, every feed in
Tests/FeedParsingTests/Fixtures. Values are compared as a reader would see them: text with
markup removed and whitespace collapsed, links percent-decoded, times to the second.
Where feedparser's own reading is not the documented one (it leaves `&eacute;` undecoded in
an attribute, reads `AT&T` as "AT&T;") it counts as disagreement; --verbose shows each.
"""
import argparse
import glob
import html
import json
import os
import re
import subprocess
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = "https://fixture.sample.test/feed"

FEEDPARSER_SIDE = r"""
import calendar, json, sys, feedparser
BASE = "https://fixture.sample.test/feed"
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path, response_headers={"content-location": BASE, "content-type": "application/xml"})
    def when(entry, key):
        value = entry.get(key + "_parsed")
        return calendar.timegm(value) if value else None
    def author(entry):
        detail = entry.get("author_detail") or {}
        return detail.get("name") or detail.get("email") or entry.get("author")
    out.append({
        "version": d.get("version"), "bozo": bool(d.get("bozo")), "title": d.feed.get("title"),
        "entries": [{
            "title": e.get("title"), "link": e.get("link"), "summary": e.get("summary"),
            "content": (e.get("content") or [{}])[0].get("value"),
            "published": when(e, "published"), "updated": when(e, "updated"), "author": author(e),
        } for e in d.entries],
    })
print(json.dumps(out))
"""

VERSIONS = {"rss090": "rss090", "rss091n": "rss09", "rss091u": "rss09", "rss092": "rss09", "rss093": "rss09",
            "rss094": "rss09", "rss20": "rss20", "rss10": "rss10", "atom10": "atom10", "atom03": "atom03",
            "json1": "json11", "json10": "json10", "json11": "json11"}


def text(value):
    if value is None:
        return ""
    value = re.sub(r"<[^>]*>", " ", html.unescape(str(value)))
    return " ".join(value.split())


def link(value):
    return urllib.parse.unquote(value or "")


def rfc3339(value):
    if not value:
        return None
    import datetime
    return int(datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--gazette", default=os.path.join(ROOT, ".build", "debug", "gazette"))
    parser.add_argument("--python", default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    files = args.files or sorted(
        path for path in glob.glob(os.path.join(ROOT, "Tests", "FeedParsingTests", "Fixtures", "*"))
        if path.endswith((".xml", ".rdf", ".atom")))  # feedparser 6 reads no JSON Feed
    python = args.python or os.path.join(ROOT, ".build", "bench", "venv", "bin", "python")
    if not os.path.exists(python):
        python = sys.executable
    theirs = json.loads(subprocess.run([python, "-c", FEEDPARSER_SIDE, *files], check=True,
                                       capture_output=True, text=True).stdout)
    totals = {}

    def tally(category, agree, detail):
        seen, ok = totals.get(category, (0, 0))
        totals[category] = (seen + 1, ok + (1 if agree else 0))
        if args.verbose and not agree:
            print(f"  {category}: {detail}")

    for path, their in zip(files, theirs):
        run = subprocess.run([args.gazette, "parse-feed", "--json", "--base-url", BASE, path], capture_output=True, text=True)
        lines = run.stdout.strip().splitlines()
        ours = json.loads(lines[0]) if lines else {"error": run.stderr.strip()}
        name = os.path.basename(path)
        if args.verbose:
            print(name)
        if "error" in ours:
            tally("parsed", False, f"{name}: {ours['error']}")
            continue
        tally("parsed", True, name)
        tally("version", VERSIONS.get(their["version"], their["version"]) == ours["format"], f"{their['version']} vs {ours['format']}")
        # feedparser's bozo: the XML is not well-formed, or its bytes are not in the encoding it names.
        flagged = any(w.startswith("recovered from ill-formed XML") or "not valid UTF-8" in w or "says UTF-8" in w
                      for w in ours["warnings"])
        tally("well-formedness", flagged == their["bozo"], f"{name}: bozo {their['bozo']} vs {ours['warnings']}")
        tally("feed title", text(their["title"]) == text(ours["feed"]["title"]), f"{their['title']!r} vs {ours['feed']['title']!r}")
        for theirs_entry, ours_entry in zip(their["entries"], ours["entries"]):
            tally("entry title", text(theirs_entry["title"]) == text(ours_entry["title"]),
                  f"{theirs_entry['title']!r} vs {ours_entry['title']!r}")
            tally("link", link(theirs_entry["link"]) == link(ours_entry["link"]), f"{theirs_entry['link']!r} vs {ours_entry['link']!r}")
            if theirs_entry["published"] or theirs_entry["updated"]:
                want = theirs_entry["published"] or theirs_entry["updated"]
                got = rfc3339(ours_entry["published"]) or rfc3339(ours_entry["updated"])
                tally("date", want == got, f"{want} vs {got} ({ours_entry['title']})")
            if theirs_entry["author"]:
                got = ours_entry["authors"][0] if ours_entry["authors"] else None
                tally("author", text(theirs_entry["author"]) == text(got), f"{theirs_entry['author']!r} vs {got!r}")
            if theirs_entry["summary"]:
                tally("summary", text(theirs_entry["summary"]) == text(ours_entry["summary"]),
                      f"{text(theirs_entry['summary'])[:60]!r} vs {text(ours_entry['summary'])[:60]!r}")
            if theirs_entry["content"]:
                tally("content", text(theirs_entry["content"]) == text(ours_entry["content"]),
                      f"{text(theirs_entry['content'])[:60]!r} vs {text(ours_entry['content'])[:60]!r}")
    print(f"{'category':<18}{'agree':>8}{'of':>6}{'rate':>8}")
    for category, (seen, ok) in sorted(totals.items()):
        print(f"{category:<18}{ok:>8}{seen:>6}{ok / seen:>8.0%}")


if __name__ == "__main__":
    main()

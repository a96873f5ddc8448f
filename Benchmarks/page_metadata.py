#!/usr/bin/env python3
"""Page metadata extraction, field by field: Gazette beside trafilatura on Benchmarks/pages.

Each page in Benchmarks/pages/ is an article page in a shape real sites write (WordPress,
Arc, Drupal, Ghost, Blogger, Medium; English, Hebrew, French, German, Spanish, Italian,
Dutch, Portuguese, Swedish; pages missing fields), with what a reader sees on it in
expected.json. A field is scored only on the pages that have it:

  title      equal after whitespace and quote marks are normalized, case ignored
  date       the calendar day (first ten characters of the value)
  authors    the same set of names, case ignored
  section    the deepest level: Gazette's last section level; trafilatura's categories
             counted right when any of them is that level
  image      the same URL
  site_name  equal, case ignored

    python3 Benchmarks/page_metadata.py [--gazette PATH] [--no-write]

Writes the table into docs/benchmarks.md between the "page metadata" markers.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = os.path.join(ROOT, "Benchmarks", "pages")
VENV_PY = os.path.join(ROOT, ".build", "bench", "venv", "bin", "python")
PEER = os.path.join(ROOT, "Benchmarks", "peers", "trafilatura_metadata.py")
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
BEGIN, END = "<!-- page metadata: begin -->", "<!-- page metadata: end -->"
FIELDS = ["title", "date", "authors", "section", "image", "site_name"]


def normalized(text):
    text = html.unescape(text or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()


def right(field, found, expected, peer):
    if field == "date":
        return bool(found) and found[:10] == expected
    if field == "authors":
        return {normalized(n) for n in found or []} == {normalized(n) for n in expected}
    if field == "section":
        deepest = normalized(expected[-1])
        levels = [normalized(level) for level in found or []]
        return deepest in levels if peer else bool(levels) and levels[-1] == deepest
    return bool(found) and normalized(found) == normalized(expected)


def gazette(binary, names, expected):
    results = {}
    for name in names:
        done = subprocess.run([binary, "extract", "--json", "--url", expected[name]["url"], os.path.join(PAGES, name + ".html")],
                              capture_output=True, text=True, cwd=PAGES)
        value = json.loads(done.stdout.splitlines()[0]) if done.stdout else {}
        results[name] = {
            "title": value.get("title"), "date": value.get("published"), "authors": value.get("authors"),
            "section": value.get("section"), "image": (value.get("image") or {}).get("url"), "site_name": value.get("site_name"),
        }
    return results


def trafilatura(names, expected):
    arguments = [expected[name]["url"] + "=" + os.path.join(PAGES, name + ".html") for name in names]
    done = subprocess.run([VENV_PY, PEER] + arguments, capture_output=True, text=True, check=True)
    return dict(zip(names, (json.loads(line) for line in done.stdout.splitlines())))


def score(results, expected, peer, misses):
    table = {}
    for field in FIELDS:
        scored = [name for name in expected if expected[name].get(field) not in (None, [])]
        hits = [name for name in scored if right(field, results[name].get(field), expected[name][field], peer)]
        for name in sorted(set(scored) - set(hits)):
            misses.append((field, name, results[name].get(field), expected[name][field]))
        table[field] = (len(hits), len(scored))
    hits = sum(h for h, _ in table.values())
    total = sum(t for _, t in table.values())
    table["overall"] = (hits, total)
    return table


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gazette", default=os.path.join(ROOT, ".build", "release", "gazette"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list Gazette's wrong answers")
    args = parser.parse_args()
    args.gazette = os.path.abspath(args.gazette)
    with open(os.path.join(PAGES, "expected.json"), encoding="utf-8") as handle:
        expected = json.load(handle)
    names = sorted(expected)
    ours_misses, peer_misses = [], []
    ours = score(gazette(args.gazette, names, expected), expected, False, ours_misses)
    peer = score(trafilatura(names, expected), expected, True, peer_misses)
    rows = ["| field | pages | Gazette | trafilatura |", "|---|---:|---:|---:|"]
    for field in FIELDS + ["overall"]:
        (h1, n), (h2, _) = ours[field], peer[field]
        rows.append(f"| {field} | {n} | {h1 / n:.2f} | {h2 / n:.2f} |")
    table = "\n".join(rows)
    print(f"Page metadata on {len(names)} pages (Benchmarks/pages):\n" + table)
    if args.misses:
        for field, name, found, want in ours_misses:
            print(f"  gazette {field} {name}: {found!r} (expected {want!r})")
    if not args.no_write and os.path.exists(DOC):
        with open(DOC, encoding="utf-8") as handle:
            doc = handle.read()
        block = f"{BEGIN}\n{table}\n{END}"
        if BEGIN in doc and END in doc:
            doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
        else:
            doc += "\n## Page metadata (`gazette extract`) beside trafilatura\n\nBenchmarks/page_metadata.py, on the pages in Benchmarks/pages.\n\n" + block + "\n"
        with open(DOC, "w", encoding="utf-8") as handle:
            handle.write(doc)


if __name__ == "__main__":
    sys.exit(main())

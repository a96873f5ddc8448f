#!/usr/bin/env python3
"""The parse case's peers: every feed of a folder through feedparser.parse, as rss2email and
most Python feed tools read feeds, or (--library feedparser_rs) through feedparser-rs, the
Rust port with the same API. Files are read before the clock starts, as in gazette-bench's
parse case; feedparser gets the same base URL Gazette's does (feedparser-rs takes none).

    feedparser_parse.py FOLDER [--library feedparser|feedparser_rs] [--repeat N] [--every K]

--every K parses every K-th feed only (a quicker check during development). Prints one
line for people, then `json: {...}` with every run's seconds.
"""
import argparse
import importlib
import json
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--library", choices=["feedparser", "feedparser_rs"], default="feedparser")
    args = parser.parse_args()
    library = importlib.import_module(args.library)
    if args.library == "feedparser":
        def parse(data, base):
            return library.parse(data, response_headers={"content-location": base})
    else:
        def parse(data, base):
            return library.parse(data)
    names = sorted(n for n in os.listdir(args.folder) if n.endswith(".xml"))[:: args.every]
    files = []
    for name in names:
        with open(os.path.join(args.folder, name), "rb") as f:
            files.append((f"https://site{name[:4]}.bench.test/feed/", f.read()))
    size = sum(len(data) for _, data in files)

    def run(subset=files):
        items = failures = 0
        start = time.perf_counter()
        for base, data in subset:
            parsed = parse(data, base)
            if parsed.bozo and not parsed.entries:
                failures += 1
            items += len(parsed.entries)
        return time.perf_counter() - start, items, failures

    run(files[::20])  # warm-up: imports and caches; a full pass would add a minute and tell nothing
    runs = [run() for _ in range(max(args.repeat, 1))]
    seconds, items, failures = sorted(runs)[len(runs) // 2]
    print(f"{args.library} {library.__version__}: {len(files)} feeds, {size / 1e6:.1f} MB, {items} items: "
          f"{seconds:.2f} s, {size / 1e6 / seconds:.2f} MB/s, {items / seconds:.0f} items/s, {failures} failed")
    print("json: " + json.dumps({"case": "parse-" + args.library, "feeds": len(files), "bytes": size, "items": items,
                                 "failures": failures, "runs": [r[0] for r in runs], "version": library.__version__}))


if __name__ == "__main__":
    main()

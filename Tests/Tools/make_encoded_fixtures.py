#!/usr/bin/env python3
"""Writes the feed fixtures whose bytes are not UTF-8 (Tests/FeedParsingTests/Fixtures/enc-*).

Each holds the same feed: a Hebrew or Latin title and one item, encoded as a real site in
that encoding would send it. Run from the repository root after changing the template;
the files are committed, so tests never need Python for them."""
import pathlib

FOLDER = pathlib.Path("Tests/FeedParsingTests/Fixtures")
HEBREW = "חדשות – שלום"
LATIN = "Café “quoted” €5 déjà vu"


def feed(title, declaration):
    head = f'<?xml version="1.0" encoding="{declaration}"?>\n' if declaration else ""
    return (head + "<rss version=\"2.0\"><channel><title>" + title + "</title>"
            "<item><title>" + title + "</title><link>https://enc.sample.test/1</link></item>"
            "</channel></rss>\n")


def main():
    cases = [
        ("enc-iso-8859-8.xml", HEBREW.replace("–", "-"), "ISO-8859-8", "iso-8859-8"),
        ("enc-windows-1252.xml", LATIN, "windows-1252", "cp1252"),
        ("enc-iso-8859-1.xml", "Café déjà vu", "ISO-8859-1", "latin-1"),
        ("enc-utf-16le-bom.xml", HEBREW, "UTF-16", "utf-16-le"),
        ("enc-utf-16be-bom.xml", HEBREW, "UTF-16", "utf-16-be"),
        ("enc-utf-8-bom.xml", HEBREW, "", "utf-8"),
        # Claims UTF-8, is windows-1252: what a misconfigured CMS sends.
        ("enc-lying-utf-8.xml", LATIN, "UTF-8", "cp1252"),
    ]
    for name, title, declaration, codec in cases:
        data = feed(title, declaration).encode(codec)
        if name.endswith("-bom.xml"):
            data = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-8": b"\xef\xbb\xbf"}[codec] + data
        (FOLDER / name).write_bytes(data)
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()

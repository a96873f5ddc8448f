#!/usr/bin/env python3
"""Writes the benchmarks' inputs, the same bytes on every run (seeded; nothing downloaded).

    python3 Benchmarks/generate_corpus.py OUT_DIR

OUT_DIR/parse/NNNN.xml     2,000 WordPress-style feeds: RSS 2.0 (3 in 4) and Atom 1.0, 20-50
                           items each, content:encoded, categories; one in four in Hebrew,
                           one in ten windows-1255. The fetch case serves the first 500.
OUT_DIR/job/old/NNNN.xml   1,000 feeds of 30 items each: what the whole job's sources held
OUT_DIR/job/new/NNNN.xml   the same feeds an hour later: 30 items each, all new
OUT_DIR/subscribers-1m.csv 1,000,000 subscribers for the import case
OUT_DIR/newsroom/old/NNN.xml   200 feeds of 20 items each: the newsroom case's sources the day before
OUT_DIR/newsroom/new/NNN.xml   the same feeds a day later: 20 new items each, a 4,000-article day
OUT_DIR/subscribers-100k.csv, subscribers-small.csv  the whole job's and start-up's subscribers
OUT_DIR/MANIFEST           what was written, with sizes; a rerun with a matching manifest does nothing
"""
import datetime
import os
import random
import sys
from xml.sax.saxutils import escape

VERSION = "5"  # bump when the output changes, so stale corpora are rewritten

LATIN = (
    "the minister said on tuesday that talks would resume after a pause of several weeks while officials in "
    "the region weighed a proposal for a ceasefire and the release of hostages analysts expect markets to react "
    "as the central bank holds rates steady budget debate parliament coalition court ruling election campaign "
    "startup funding technology research hospital doctors season coach players final match festival film music "
    "album exhibition museum city council housing prices transport strike teachers students university report"
).split()
HEBREW = (
    "הממשלה אישרה היום את התקציב לאחר דיון ארוך בכנסת שר האוצר אמר כי המשק יצמח בשנה הבאה למרות המלחמה "
    "בית המשפט העליון דחה את העתירה נגד החוק החדש ראש הממשלה נפגש עם נשיא ארצות הברית בוושינגטון "
    "המשטרה פתחה בחקירה בעקבות התלונה תושבי הדרום חוזרים לבתיהם הפסקת אש עסקת חטופים כדורגל ליגת העל "
    "מכבי הפועל ביתר תל אביב ירושלים חיפה באר שבע תרבות מוזיקה קולנוע תיאטרון תערוכה מחקר רפואה בריאות"
).split()
SECTIONS = [
    "News", "News > Israel", "News > Middle East", "News > World", "Business", "Business > Tech", "Opinions",
    "Culture", "Sports", "Health", "Science", "Lifestyle",
]
SECTIONS_HE = ["חדשות", "חדשות > ישראל", "חדשות > המזרח התיכון", "כלכלה", "דעות", "תרבות", "ספורט", "בריאות"]
TAGS = ["Iran", "Gaza", "Turkey", "ISF", "Knesset", "Elections", "Hamas", "Hezbollah", "Tech", "AI", "Markets",
        "Football", "Basketball", "Film", "Music", "Climate", "Health", "Courts", "Housing", "Education"]
TAGS_HE = ["איראן", "עזה", "טורקיה", "כנסת", "בחירות", "חמאס", "כדורגל", "בורסה", "רפואה", "חינוך"]
AUTHORS = ["Dana Levi", "Omer Cohen", "Yael Mizrahi", "Noa Peretz", "Ariel Ben-David", "Staff"]
AUTHORS_HE = ["נועה ברק", "עומר לוי", "יעל כהן", "מערכת"]
BASE_TIME = datetime.datetime(2026, 11, 26, 6, 0, tzinfo=datetime.timezone.utc)


def words(rng, vocabulary, low, high):
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(low, high)))


def sentence_case(text):
    return text[:1].upper() + text[1:]


class Site:
    """One WordPress-like site: its host, language and encoding."""

    def __init__(self, index, rng):
        self.index = index
        self.host = f"site{index:04d}.bench.test"
        self.hebrew = index % 4 == 3
        self.encoding = "windows-1255" if self.hebrew and index % 20 in (3, 7) else "utf-8"
        if index % 10 == 3 and not self.hebrew:  # make one in ten windows-1255 overall
            self.hebrew, self.encoding = True, "windows-1255"
        self.atom = index % 4 == 1
        self.vocabulary = HEBREW if self.hebrew else LATIN
        self.title = (words(rng, HEBREW, 1, 2) if self.hebrew else sentence_case(words(rng, LATIN, 1, 2))) + f" {index}"


def item_fields(site, rng, number, when, guid_prefix):
    vocabulary = site.vocabulary
    title = sentence_case(words(rng, vocabulary, 5, 12))
    slug = f"story-{guid_prefix}{number}"
    link = f"https://{site.host}/{when:%Y/%m/%d}/{slug}/"
    sections = SECTIONS_HE if site.hebrew else SECTIONS
    tags = TAGS_HE if site.hebrew else TAGS
    categories = [rng.choice(sections)] + rng.sample(tags, rng.randint(1, 4))
    excerpt = sentence_case(words(rng, vocabulary, 25, 45))
    paragraphs = []
    for p in range(rng.randint(2, 5)):
        text = escape(sentence_case(words(rng, vocabulary, 20, 60)))
        if p == 0:
            text += f' <a href="/tag/{rng.choice(TAGS).lower()}/">{escape(rng.choice(tags))}</a>'
        if p == 1 and rng.random() < 0.5:
            paragraphs.append(
                f'<figure class="wp-block-image"><img src="https://{site.host}/wp-content/uploads/{when:%Y/%m}/{slug}.jpg" '
                f'alt="{escape(words(rng, vocabulary, 3, 6))}" width="1200" height="800" loading="lazy" /></figure>')
        paragraphs.append(f"<p>{text}.</p>")
    if rng.random() < 0.3:
        paragraphs.append(f"<blockquote><p>{escape(sentence_case(words(rng, vocabulary, 10, 20)))}</p></blockquote>")
    paragraphs.append(f'<p>The post <a href="{link}">{escape(title)}</a> appeared first on {escape(site.title)}.</p>')
    author = rng.choice(AUTHORS_HE if site.hebrew else AUTHORS)
    return title, link, categories, excerpt, "\n".join(paragraphs), author


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss_feed(site, rng, items, guid_prefix, newest):
    out = [
        f'<?xml version="1.0" encoding="{site.encoding.upper() if site.encoding != "utf-8" else "UTF-8"}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">',
        "<channel>",
        f"\t<title>{escape(site.title)}</title>",
        f'\t<atom:link href="https://{site.host}/feed/" rel="self" type="application/rss+xml" />',
        f"\t<link>https://{site.host}</link>",
        f"\t<description>{escape(words(rng, site.vocabulary, 4, 8))}</description>",
        f"\t<lastBuildDate>{newest:%a, %d %b %Y %H:%M:%S} +0000</lastBuildDate>",
        f"\t<language>{'he-IL' if site.hebrew else 'en-US'}</language>",
        "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>",
        "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>",
        "\t<generator>https://wordpress.org/?v=6.7.1</generator>",
    ]
    for number in range(items):
        when = newest - datetime.timedelta(minutes=37 * number + rng.randint(0, 30))
        title, link, categories, excerpt, content, author = item_fields(site, rng, number, when, guid_prefix)
        out.append("\t<item>")
        out.append(f"\t\t<title>{escape(title)}</title>")
        out.append(f"\t\t<link>{link}</link>")
        out.append(f"\t\t<comments>{link}#respond</comments>")
        out.append(f"\t\t<dc:creator>{cdata(author)}</dc:creator>")
        out.append(f"\t\t<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>")
        out.extend(f"\t\t<category>{cdata(category)}</category>" for category in categories)
        out.append(f'\t\t<guid isPermaLink="false">https://{site.host}/?p={guid_prefix}{site.index * 1000 + number}</guid>')
        out.append(f"\t\t<description>{cdata(excerpt + ' [&#8230;]')}</description>")
        out.append(f"\t\t<content:encoded>{cdata(content)}</content:encoded>")
        out.append(f"\t\t<wfw:commentRss>{link}feed/</wfw:commentRss>")
        out.append(f"\t\t<slash:comments>{rng.randint(0, 40)}</slash:comments>")
        out.append("\t</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom_feed(site, rng, items, guid_prefix, newest):
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>' if site.encoding == "utf-8" else f'<?xml version="1.0" encoding="{site.encoding}"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" '
        f'xml:lang="{"he-IL" if site.hebrew else "en-US"}">',
        f'\t<title type="text">{escape(site.title)}</title>',
        f'\t<subtitle type="text">{escape(words(rng, site.vocabulary, 4, 8))}</subtitle>',
        f"\t<updated>{newest:%Y-%m-%dT%H:%M:%SZ}</updated>",
        f'\t<link rel="alternate" type="text/html" href="https://{site.host}" />',
        f"\t<id>https://{site.host}/feed/atom/</id>",
        f'\t<link rel="self" type="application/atom+xml" href="https://{site.host}/feed/atom/" />',
        '\t<generator uri="https://wordpress.org/" version="6.7.1">WordPress</generator>',
    ]
    for number in range(items):
        when = newest - datetime.timedelta(minutes=37 * number + rng.randint(0, 30))
        title, link, categories, excerpt, content, author = item_fields(site, rng, number, when, guid_prefix)
        out.append("\t<entry>")
        out.append(f"\t\t<author>\n\t\t\t<name>{escape(author)}</name>\n\t\t</author>")
        out.append(f'\t\t<title type="html"><![CDATA[{title}]]></title>')
        out.append(f'\t\t<link rel="alternate" type="text/html" href="{link}" />')
        out.append(f"\t\t<id>https://{site.host}/?p={guid_prefix}{site.index * 1000 + number}</id>")
        out.append(f"\t\t<updated>{when:%Y-%m-%dT%H:%M:%SZ}</updated>")
        out.append(f"\t\t<published>{when:%Y-%m-%dT%H:%M:%SZ}</published>")
        out.extend(f'\t\t<category scheme="https://{site.host}" term="{escape(c, {chr(34): "&quot;"})}" />' for c in categories)
        out.append(f'\t\t<summary type="html">{cdata(excerpt + " [&#8230;]")}</summary>')
        out.append(f'\t\t<content type="html" xml:base="{link}">{escape(content)}</content>')
        out.append(f'\t\t<link rel="replies" type="text/html" href="{link}#comments" thr:count="0" />')
        out.append("\t</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def write_feed(path, site, rng, items, guid_prefix, newest):
    text = (atom_feed if site.atom else rss_feed)(site, rng, items, guid_prefix, newest)
    with open(path, "wb") as f:
        f.write(text.encode(site.encoding))  # strict: every generated character fits the encoding
    return os.path.getsize(path)


def write_subscribers(path, count, rng):
    sections = ["News > Israel", "News > Middle East", "Opinions", "Culture", "Business > Tech", "Sports"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("email,name,lists,sections,tags\r\n")
        for i in range(count):
            kind = i % 10
            chosen_sections = ";".join(rng.sample(sections, rng.randint(1, 2))) if kind in (3, 4, 5, 6) else ""
            chosen_tags = ";".join(rng.sample(TAGS, rng.randint(1, 3))) if kind >= 7 else ""
            name = f"Reader {i}" if i % 5 else f"\"Levi, Noa {i}\""
            f.write(f"reader{i}@subscribers.bench.test,{name},daily,{chosen_sections},{chosen_tags}\r\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else ".build/bench/data"
    manifest_path = os.path.join(out, "MANIFEST")
    if os.path.exists(manifest_path) and open(manifest_path).readline().strip() == f"version {VERSION}":
        print(f"{out}: inputs are up to date")
        return
    for folder in ("parse", "job/old", "job/new", "newsroom/old", "newsroom/new"):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    lines = [f"version {VERSION}"]

    rng = random.Random(2026)
    total = items_total = 0
    for index in range(2000):
        site = Site(index, rng)
        items = rng.randint(20, 50)
        total += write_feed(os.path.join(out, "parse", f"{index:04d}.xml"), site, rng, items, "", BASE_TIME)
        items_total += items
    lines.append(f"parse 2000 feeds {items_total} items {total} bytes")

    rng = random.Random(1000)
    total = 0
    for index in range(1000):
        site = Site(index, rng)
        # The same site an hour apart: the new version's 30 items are all unseen.
        total += write_feed(os.path.join(out, "job/old", f"{index:04d}.xml"), site, rng, 30, "1", BASE_TIME - datetime.timedelta(hours=20))
        total += write_feed(os.path.join(out, "job/new", f"{index:04d}.xml"), site, rng, 30, "2", BASE_TIME)
    lines.append(f"job 1000 feeds x 2 versions x 30 items {total} bytes")

    rng = random.Random(4000)
    total = 0
    for index in range(200):
        site = Site(index, rng)  # a quarter Hebrew, as every corpus here
        total += write_feed(os.path.join(out, "newsroom/old", f"{index:03d}.xml"), site, rng, 20, "1", BASE_TIME - datetime.timedelta(hours=24))
        total += write_feed(os.path.join(out, "newsroom/new", f"{index:03d}.xml"), site, rng, 20, "2", BASE_TIME)
    lines.append(f"newsroom 200 feeds x 2 versions x 20 items {total} bytes")

    for name, count in (("subscribers-1m.csv", 1_000_000), ("subscribers-100k.csv", 100_000), ("subscribers-small.csv", 50)):
        write_subscribers(os.path.join(out, name), count, random.Random(count))
        lines.append(f"{name} {count} rows {os.path.getsize(os.path.join(out, name))} bytes")

    with open(manifest_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[1:]))


if __name__ == "__main__":
    main()

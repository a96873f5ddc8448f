#!/usr/bin/env python3
"""The render case's peer: the same 60-article digest (dumped by `gazette-bench render
--dump-digest`) rendered for each subscriber with Jinja2 (HTML autoescaped) into an HTML and
a plain-text body laid out as Gazette's templates are, the text wrapped at 72 columns, and
built into a multipart/alternative message with Python's `email` package (EmailMessage,
utf-8 bodies, its own choice of quoted-printable or base64), as bytes.

    render_jinja.py DIGEST.json [--messages N] [--repeat N]
"""
import argparse
import datetime
import json
import textwrap
import time
import zoneinfo
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import jinja2

ARTICLE_HTML = """<tr><td id="{{ a.anchor }}" class="gz-pad" style="padding:14px 32px 4px 32px;font-family:Georgia,'Times New Roman',serif;"{% if a.language %} lang="{{ a.language }}"{% endif %} dir="auto">
  {% if a.image %}<a href="{{ a.url }}"><img src="{{ a.image }}" alt="{{ a.image_alt }}" width="536" style="display:block;width:100%;max-width:536px;height:auto;border:0;border-radius:4px;margin:0 0 10px 0;"></a>{% endif %}
  <div class="gz-title" style="font-size:19px;line-height:25px;font-weight:bold;"><a href="{{ a.url }}" dir="auto" style="color:#1a1a1a;text-decoration:none;">{{ a.title }}</a></div>
  <div class="gz-meta" style="font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:18px;color:#6b6760;padding-top:3px;">{{ a.time }}{% if a.authors %} · by {{ a.authors }}{% endif %}</div>
  {% if a.summary %}<div class="gz-text" dir="auto" style="font-size:15px;line-height:22px;color:#2b2925;padding-top:6px;">{{ a.summary }}</div>{% endif %}
  {% if a.tags %}<div style="font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:20px;padding-top:6px;">{% for t in a.tags %}<span dir="auto" style="display:inline-block;color:#b3261e;margin-right:8px;">#{{ t }}</span>{% endfor %}</div>{% endif %}
  {% if a.also_in %}<div class="gz-meta" style="font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:18px;color:#6b6760;padding-top:2px;">Also in: {{ a.also_in }}</div>{% endif %}
</td></tr>
"""
HTML = """<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{{ subject }}</title>
<style>
  @media (prefers-color-scheme: dark) {
    .gz-body, .gz-outer { background: #121212 !important; }
    .gz-card { background: #1e1e1e !important; }
    .gz-text, .gz-title a { color: #e8e6e3 !important; }
    .gz-meta { color: #a8a49c !important; }
  }
  @media screen and (max-width: 620px) {
    .gz-card { width: 100% !important; }
    .gz-pad { padding-left: 16px !important; padding-right: 16px !important; }
  }
</style>
</head>
<body class="gz-body" style="margin:0;padding:0;background:#f3f1ec;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:#f3f1ec;">{{ preheader }}</div>
<table role="presentation" class="gz-outer" width="100%" cellspacing="0" cellpadding="0" border="0" style="background:#f3f1ec;">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" class="gz-card" width="600" cellspacing="0" cellpadding="0" border="0" style="width:600px;max-width:600px;background:#ffffff;border-radius:6px;">
<tr><td class="gz-pad" style="padding:28px 32px 8px 32px;font-family:Georgia,'Times New Roman',serif;">
  <div class="gz-text" style="font-size:26px;line-height:32px;font-weight:bold;color:#1a1a1a;">{{ list.title }}</div>
  <div class="gz-meta" style="font-family:Helvetica,Arial,sans-serif;font-size:13px;line-height:20px;color:#6b6760;padding-top:4px;">{{ date }} · {{ count }} new articles</div>
</td></tr>
<tr><td class="gz-pad" style="padding:8px 32px 4px 32px;font-family:Helvetica,Arial,sans-serif;font-size:13px;line-height:22px;color:#6b6760;">
  <span class="gz-meta" style="color:#6b6760;">Tags:</span>
  {% for t in tag_index %}<span dir="auto" style="display:inline-block;background:#efebe3;color:#3d3a35;border-radius:10px;padding:0 8px;margin:2px 2px;">{{ t.name }} {% for n in t.numbers %}<a href="#a{{ n }}" style="color:#b3261e;text-decoration:none;">{{ n }}</a> {% endfor %}</span> {% endfor %}
</td></tr>
<tr><td class="gz-pad" style="padding:24px 32px 0 32px;">
  <h2 id="top-stories" style="margin:0;padding:0 0 6px 0;border-bottom:2px solid #1a1a1a;font-family:Helvetica,Arial,sans-serif;font-size:14px;line-height:20px;letter-spacing:0.06em;text-transform:uppercase;color:#1a1a1a;">Top stories</h2>
</td></tr>
{% for a in top %}{% include "article.html" %}{% endfor %}
{% for s in sections %}{% if s.entries %}
<tr><td class="gz-pad" style="padding:24px 32px 0 32px;">
  <h2 id="{{ s.anchor }}" dir="auto" style="margin:0;padding:0 0 6px 0;border-bottom:2px solid #b3261e;font-family:Helvetica,Arial,sans-serif;font-size:14px;line-height:20px;letter-spacing:0.06em;text-transform:uppercase;color:#b3261e;">{{ s.title }} <span style="color:#8a857c;font-weight:normal;">({{ s.entries|length }})</span></h2>
</td></tr>
{% for a in s.entries %}{% include "article.html" %}{% endfor %}{% endif %}{% endfor %}
<tr><td class="gz-pad" style="padding:28px 32px 28px 32px;font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:18px;color:#6b6760;">
  <div style="border-top:1px solid #e4e0d8;padding-top:14px;" class="gz-meta">
    You receive {{ list.title }} at {{ reader.email }}.
    <a href="{{ preferences }}" style="color:#6b6760;">Choose what you follow</a> · <a href="{{ unsubscribe }}" style="color:#6b6760;">Unsubscribe</a><br>
    Gazette (Jinja2 peer)
  </div>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""
ARTICLE_TEXT = """
[{{ a.number }}] {{ a.title }}
    {{ a.time }}{% if a.authors %} · by {{ a.authors }}{% endif %}
{% if a.summary %}    {{ a.summary }}
{% endif %}{% if a.tags %}    Tags: {{ a.tags|join(" · ") }}
{% endif %}{% if a.also_in %}    Also in: {{ a.also_in }}
{% endif %}"""
TEXT = """{{ list.title }} — {{ date }}
{{ count }} new articles for {{ reader.name }}
Tags: {{ tag_line }}

== Top stories ==
{% for a in top %}{% include "article.txt" %}{% endfor %}
Links:
{% for a in top %}[{{ a.number }}] {{ a.url }}
{% endfor %}{% for s in sections %}{% if s.entries %}
== {{ s.title }} ({{ s.entries|length }}) ==
{% for a in s.entries %}{% include "article.txt" %}{% endfor %}
Links:
{% for a in s.entries %}[{{ a.number }}] {{ a.url }}
{% endfor %}{% endif %}{% endfor %}
-- 
You receive {{ list.title }} at {{ reader.email }}.
Choose what you follow: {{ preferences }}
Unsubscribe: {{ unsubscribe }}
Gazette (Jinja2 peer)
"""


def wrap(text, width=72):
    """Wraps long lines, keeping each line's indent (as Gazette's TextWrapper does)."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out.extend(textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent, break_long_words=False) or [""])
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("digest")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with open(args.digest, encoding="utf-8") as f:
        digest = json.load(f)
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"digest.html": HTML, "article.html": ARTICLE_HTML, "digest.txt": TEXT, "article.txt": ARTICLE_TEXT}),
        autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True)
    html_template, text_template = env.get_template("digest.html"), env.get_template("digest.txt")
    zone = zoneinfo.ZoneInfo(digest["time_zone"])
    now = datetime.datetime.fromtimestamp(digest["now"], zone)
    tokens = digest["tokens"]
    lst = digest["list"]

    def message(index):
        # The view model, built per message as Gazette builds its DigestViewModel.
        numbers, number = {}, 0

        def item(a):
            nonlocal number
            number += 1
            numbers[a["url"]] = number
            return {"number": number, "anchor": f"a{number}", "title": a["title"], "url": a["url"], "summary": a["summary"],
                    "authors": ", ".join(a["authors"]), "tags": a["tags"], "also_in": " · ".join(a["also_in"]),
                    "language": a["language"], "image": a["image"], "image_alt": a["image_alt"],
                    "time": datetime.datetime.fromtimestamp(a["published"], zone).strftime("%-d %b %Y, %H:%M")}

        top = [item(a) for a in digest["top_stories"]]
        sections = [{"title": s["title"], "anchor": s["title"].lower().replace(" > ", "-").replace(" ", "-"),
                     "entries": [item(a) for a in s["articles"]]} for s in digest["sections"]]
        tag_index = [{"name": t["tag"], "numbers": [numbers[u] for u in t["urls"] if u in numbers]} for t in digest["tag_index"]]
        token = tokens[index % len(tokens)]
        reader = {"email": f"reader{index}@subscribers.bench.test", "name": f"Reader {index}"}
        count = number
        subject = f"{lst['title']} — {now:%a %-d %b}"
        model = {
            "subject": subject, "list": lst, "reader": reader, "date": now.strftime("%A, %-d %B %Y"), "count": count,
            "preheader": f"{count} articles: " + " · ".join(a["title"] for a in top[:3]),
            "top": top, "sections": sections, "tag_index": tag_index,
            "tag_line": " · ".join(" ".join([t["name"]] + [f"[{n}]" for n in t["numbers"]]) for t in tag_index),
            "unsubscribe": lst["unsubscribe"].replace("{token}", token), "preferences": lst["preferences"].replace("{token}", token),
        }
        html = html_template.render(model)
        text = wrap(text_template.render(model))
        msg = EmailMessage()
        msg["Date"] = format_datetime(now)
        msg["From"] = Address(lst["sender_name"], addr_spec=lst["sender_address"])
        msg["To"] = Address(reader["name"], addr_spec=reader["email"])
        msg["Subject"] = subject
        msg["Message-ID"] = f"<2026-11-26.daily.{index + 1}.{token}@bench.test>"
        msg["List-Id"] = f'"{lst["title"]}" <{lst["name"]}.bench.test>'
        msg["List-Unsubscribe"] = f"<{model['unsubscribe']}>, <mailto:{lst['sender_address']}?subject=unsubscribe%20{token}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg["Auto-Submitted"] = "auto-generated"
        msg["Precedence"] = "bulk"
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        return msg.as_bytes()

    def run(count):
        start = time.perf_counter()
        size = sum(len(message(i)) for i in range(count))
        return time.perf_counter() - start, size

    run(max(args.messages // 10, 1))  # warm-up
    runs = [run(args.messages) for _ in range(max(args.repeat, 1))]
    seconds, size = sorted(runs)[len(runs) // 2]
    print(f"Jinja2 {jinja2.__version__} + email: {args.messages} messages: {seconds:.2f} s, {args.messages / seconds:.0f} messages/s, "
          f"{size / args.messages / 1000:.1f} kB a message")
    print("json: " + json.dumps({"case": "render-jinja2", "messages": args.messages, "bytes_per_message": size // args.messages,
                                 "runs": [r[0] for r in runs], "version": jinja2.__version__}))


if __name__ == "__main__":
    main()

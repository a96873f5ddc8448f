/// The commented config `gazette init` writes: every key, with what it does.
public enum StarterConfig {
    public static let text = #"""
# Gazette configuration. Paths are relative to this file's folder.
# Secrets (an SMTP password) never go here: put them in the environment.

# The SQLite database: articles, subscribers, the delivery ledger.
database = "gazette.sqlite"

# A folder of Mustache templates that override the built-in ones file by file
# (digest.html.mustache, digest.txt.mustache, partials/…). Leave out to use the built-in set.
# templates = "templates"

# The time zone for dates in digests and for each list's daily edition.
timezone = "UTC"

# Old articles keep only what dedupe needs after retention_days, and are forgotten after
# forget_days; `gazette run` prunes once a week.
# retention_days = 60
# forget_days = 240

# The key that signs unsubscribe links; created on first use (GAZETTE_TOKEN_KEY overrides).
# token_key_file = "gazette.key"

[delivery]
# Where digests go. With neither smtp nor sendmail, each message is written as a .eml
# file into this Maildir-layout folder (new/ holds the messages).
outbox = "outbox"
# smtp = "smtp://mail.example.org:587"   # or smtps://…:465
# starttls = "required"                  # or "opportunistic", or "off" for a local relay
# username = "digest"                    # password: GAZETTE_SMTP_PASSWORD or password_file
# password_file = "/etc/gazette/smtp-password"
# ca_file = "/etc/gazette/ca.pem"        # for a server with a private certificate
# max_per_second = 10
# sendmail = "/usr/sbin/sendmail"        # hand messages to the local MTA instead
# retry_delays = [30, 120]               # seconds before retrying deferred messages in a run
# bounce_limit = 2                       # refusals in a row before an address is marked bounced
# return_path = "bounces@example.org"    # VERP: each message's envelope sender is bounces+<token>@…

# Returned mail (`gazette bounces`; see README, "Returned mail").
# [bounces]
# maildir = "/var/mail/bounces"          # read by `gazette run` first
# soft_limit = 3                         # soft bounces (digests in a row) before an address is bounced…
# soft_days = 7                          # …spread over at least this many days

# Mail the operator when sources keep failing: the same ones at most once a day.
# [report]
# to = "ops@example.org"
# after_failures = 3                     # failed runs in a row before a source is reported
# from = "gazette@example.org"           # default: the first list's sender_address

# How sources are fetched. The defaults are polite to news sites; a local benchmark server
# may want per_host = 64 and host_gap_ms = 0.
# [fetch]
# concurrency = 16                       # sources fetched at once
# per_host = 2                           # requests to one web server at once
# host_gap_ms = 250                      # between two requests to one web server
# timeout_seconds = 30                   # for a whole request, redirects included
# connect_timeout_seconds = 10
# stall_seconds = 15                     # a server sending nothing this long is given up on
# max_body_mib = 15
# max_redirects = 5
# max_cache_minutes = 120                # the longest Cache-Control, Expires or <ttl> is obeyed

# One [[sources]] table per feed: RSS, Atom or JSON Feed, over http(s) or from a file.
# `gazette sources add https://site/` finds a site's feeds and appends a table here.
[[sources]]
name = "example"
feed = "https://www.example.org/feed/"
site = "https://www.example.org/"
# The first fetch of a new source is its archive: recorded, not mailed, except the
# newest `backfill` items.
backfill = 0
# Read each new article's page for its section path, tags, byline and dates.
# enrich = true
# type = "sitemap"                       # a (news) sitemap instead of a feed; or "page" with
# links = ".river h2 a"                  # the selector of a section page's article links

# Per-site rules for article pages, for what JSON-LD and meta tags do not say.
# [[sites]]
# host = "www.example.org"
# section = "nav.breadcrumbs a"          # CSS or XPath; "Home" and the article are dropped
# author = ".byline"
# date = ".entry-date"                   # "Published on 12-11-2025 15:22"
# date_format = "dd-MM-yyyy HH:mm"
# timezone = "Asia/Jerusalem"
# section_map = { "Israel at War" = "Israel" }
# drop_sections = ["Latest"]

# Section and tag names spelled one way across sources.
# [aliases]
# "IDF" = "Israel Defense Forces"

# One [[lists]] table per digest. Subscribers join lists by name.
[[lists]]
name = "daily"
title = "The Daily Digest"
sender_name = "Daily Digest"
sender_address = "digest@example.org"
schedule = "daily 07:00"
# How deep sections are grouped: 2 puts "News > Middle East > Peace Process"
# under "News > Middle East".
section_depth = 2
# The digest's own words, dates and direction: "en", "he" (right to left), or a language
# you add as strings/<language>.toml in a templates folder.
# language = "en"
# The subject line; by default the top story: "Title and 4 more — The Daily Digest".
# subject = "{{list.title}} — {{shortDate}}"
# One-click unsubscribe (RFC 8058) and a preferences page, if you run them; {token} is
# replaced by a signed token that `gazette subscribers unsubscribe --token` accepts.
# [web] below sets both for every list; these override it for one list.
# unsubscribe_url = "https://www.example.org/newsletter/unsubscribe?token={token}"
# preferences_url = "https://www.example.org/newsletter/preferences?token={token}"

# The readers' web endpoint, `gazette serve`, behind your site's https proxy (README:
# "Readers' pages"). With base_url set every digest carries one-click unsubscribe, the
# footer links to the preferences page, confirmation mails link to a button, and
# {base_url}/archive/ shows the sent editions with an Atom feed per list.
# [web]
# base_url = "https://news.example.org/letters"
# listen = "127.0.0.1:8080"     # where `gazette serve` listens; the proxy forwards here
# subscribe = false             # true: a public sign-up form at {base_url}/subscribe
# subscribes_per_hour = 5       # sign-ups one IP address may make per hour
"""#
}

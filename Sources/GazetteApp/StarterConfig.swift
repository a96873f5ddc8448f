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

[delivery]
# Where digests go. With no smtp URL, each message is written as a .eml file
# into this Maildir-layout folder (new/ holds the messages).
outbox = "outbox"
# smtp = "smtp://127.0.0.1:25"

# One [[sources]] table per feed: RSS or Atom, over http(s) or from a file.
[[sources]]
name = "example"
feed = "https://www.example.org/feed/"
site = "https://www.example.org/"

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
"""#
}

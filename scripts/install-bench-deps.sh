#!/usr/bin/env bash
# Installs what `make bench` compares Gazette with, when it is missing. Never committed,
# never needed by `make test`:
#   Debian: postfix (for its smtp-sink and smtp-source test tools only; no mail daemon is
#           configured or left running), hyperfine, libxml2-utils (xmllint), time (/usr/bin/time),
#           nginx (the feeds' web server; started by run.py on a loopback port only)
#   PyPI, into the virtual environment .build/bench/venv: feedparser, feedparser-rs (the
#           parse case's peer), rss2email, Jinja2, trafilatura (with lxml_html_clean, which
#           its jusText dependency imports)
# Safe to run again: it installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

packages=(postfix hyperfine libxml2-utils time python3-venv sqlite3 nginx)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix asks how to deliver mail: nowhere. Its tools are all the benchmarks use.
    echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
    echo "postfix postfix/mailname string bench.invalid" | $sudo debconf-set-selections
    # Keep the package's maintainer scripts from starting the daemon (only when no policy exists).
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod +x "$policy"
    fi
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" || { [ -n "$policy" ] && $sudo rm -f "$policy"; exit 1; }
    [ -n "$policy" ] && $sudo rm -f "$policy"
fi
# Whatever happened at install time, no Postfix daemon stays up.
if command -v postfix >/dev/null 2>&1 && $sudo postfix status >/dev/null 2>&1; then
    $sudo postfix stop >/dev/null 2>&1 || true
fi

# Python peers, pinned so that a rerun measures the same code.
venv=.build/bench/venv
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p .build/bench
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import feedparser, feedparser_rs, jinja2, rss2email, trafilatura" >/dev/null 2>&1; then
    echo "Installing feedparser, feedparser-rs, rss2email, Jinja2 and trafilatura from PyPI into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "feedparser==6.0.14" "feedparser-rs==0.7.1" "rss2email==3.14" "Jinja2==3.1.6" "trafilatura==2.3.1" "lxml_html_clean==0.4.6"
fi

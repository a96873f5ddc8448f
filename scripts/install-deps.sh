#!/usr/bin/env bash
# Installs the Debian packages (and the PyPI test server) Gazette builds and tests with,
# when they are missing.
# Used by `make demo`, `make test` and .ci/run. Safe to run again: it installs nothing
# that is already there.
set -euo pipefail

# Build and run: libcurl, libxml2, SQLite. With --test, also what the tests use: headless
# Chromium (the HTML email is rendered and screenshotted) and fonts for Hebrew.
packages=(libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkg-config python3)
if [ "${1:-}" = "--test" ]; then
    packages+=(chromium fonts-dejavu-core fonts-noto-core openssl tmux)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The tests' SMTP server (Tests/Tools/smtp_server.py) is aiosmtpd, and its HTTP server
# compresses with brotli as news sites' CDNs do; both from PyPI.
pip_install() {
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "$1" \
        || python3 -m pip install --quiet --disable-pip-version-check "$1"
}
if [ "${1:-}" = "--test" ]; then
    python3 -c "import aiosmtpd" >/dev/null 2>&1 || { echo "Installing aiosmtpd from PyPI"; pip_install "aiosmtpd>=1.4,<2"; }
    python3 -c "import brotli" >/dev/null 2>&1 || { echo "Installing brotli from PyPI"; pip_install "brotli>=1.0,<2"; }
fi

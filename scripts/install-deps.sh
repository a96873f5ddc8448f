#!/usr/bin/env bash
# Installs the Debian packages Gazette builds and tests with, when they are missing.
# Used by `make demo`, `make test` and .ci/run. Safe to run again: it installs nothing
# that is already there.
set -euo pipefail

packages=(libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkg-config python3)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/bin/sh
# Prepares a fresh checkout: installs the locked npm dependencies when they are missing or stale,
# and (with --browser) Debian's Chromium for the browser tests when it is not on the machine.
set -eu
cd "$(dirname "$0")/.."

# Node.js 20.19+ (or 22+): the locked packages need it. Debian's own nodejs package is older.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  echo "laget: Node.js 20.19 or newer is needed (found: $(node --version 2>/dev/null || echo none)); see https://nodejs.org" >&2
  exit 1
fi

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.laget-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "laget: installing npm dependencies (npm ci)…"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi

if [ "${1:-}" = "--browser" ] && [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "laget: installing Debian's chromium for the browser tests…"
  if [ "$(id -u)" = "0" ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "laget: chromium is missing and this user cannot install it; run: apt-get install -y chromium" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

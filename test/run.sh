#!/usr/bin/env bash
# The whole test suite: type checking, then unit, HTTP and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "Chromium is missing: browser tests need Debian's chromium at /usr/bin/chromium."
  if [ "$(id -u)" != 0 ]; then
    echo "Cannot install it without root. Run: sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core"
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    echo "No apt-get on this machine: install Chromium so that /usr/bin/chromium exists."
    exit 1
  fi
  echo "Installing Debian's chromium (apt-get)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
}

ensure_chromium
echo "Type checking…"
npx --no-install tsc --noEmit

mapfile -t files < <(find test -name '*.test.ts' | sort)
echo "Running ${#files[@]} test files…"
exec node --import tsx --test --test-concurrency=2 "${files[@]}"

#!/usr/bin/env bash
# The whole test suite: type checking, then unit, HTTP and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# ensure_installed WHAT NEEDED_BY CHECK PACKAGE...: installs Debian's packages when CHECK fails
# (as root, with apt-get), or says how to.
ensure_installed() {
  what=$1 needed_by=$2 check=$3
  shift 3
  if sh -c "$check"; then return 0; fi
  echo "$what is missing: $needed_by."
  if [ "$(id -u)" != 0 ]; then
    echo "Cannot install it without root. Run: sudo apt-get update && sudo apt-get install -y $*"
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    echo "No apt-get on this machine: install $what ($*)."
    exit 1
  fi
  echo "Installing Debian's $* (apt-get)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_installed Chromium "browser tests need Debian's chromium at /usr/bin/chromium" '[ -x /usr/bin/chromium ]' chromium fonts-dejavu-core
# The HTTPS chain test (test/integration/https-chain.test.ts) runs Debian's caddy in front of the app.
ensure_installed Caddy "the HTTPS chain test needs Debian's caddy" 'command -v caddy >/dev/null' caddy

# Type checking keeps one core busy for half a minute: it runs beside the tests instead of before
# them, and its errors fail the run at the end.
typecheck_log=$(mktemp)
npx --no-install tsc --noEmit >"$typecheck_log" 2>&1 &
typecheck_pid=$!
trap 'kill "$typecheck_pid" 2>/dev/null || true; rm -f "$typecheck_log"' EXIT

# Longest first. Node's runner starts the files in the order given, two at a time, so a long file
# started last runs alone at the end while the other slot sits idle: starting the longest ones
# first leaves only short files for the end. By their time alone on a 2-core machine (CPU time,
# wall time for browser tests), measured December 2026; a file not listed runs after these, in
# alphabetical order.
slowest_first=(
  test/http/case-import-scale.test.ts
  test/security/payloads.test.ts
  test/integration/backup.test.ts
  test/security/csrf-matrix.test.ts
  test/e2e/cases.e2e.test.ts
  test/security/access-matrix.test.ts
  test/unit/brief-legal-fixtures.test.ts
  test/e2e/foundation.e2e.test.ts
  test/integration/cli.test.ts
  test/http/brief-exports.test.ts
  test/http/declarations.test.ts
  test/e2e/declarations.e2e.test.ts
  test/e2e/briefs.e2e.test.ts
  test/e2e/requests.e2e.test.ts
  test/unit/brief-documents.test.ts
  test/integration/purge.test.ts
  test/integration/crash.test.ts
  test/http/briefs.test.ts
  test/e2e/case-import.e2e.test.ts
  test/security/log-hygiene.test.ts
  test/integration/requests-purge.test.ts
  test/e2e/agents.e2e.test.ts
  test/http/agent-data.test.ts
  test/http/requests.test.ts
  test/http/declaration-differencing.test.ts
)
files=()
for file in "${slowest_first[@]}"; do
  if [ -f "$file" ]; then files+=("$file"); fi
done
while IFS= read -r file; do
  case " ${slowest_first[*]} " in
    *" $file "*) ;;
    *) files+=("$file") ;;
  esac
done < <(find test -name '*.test.ts' | sort)
echo "Type checking, and running ${#files[@]} test files…"
status=0
# preload-packages.mjs loads the app's largest packages before tsx's loader hooks are registered (see there).
node --import ./test/helpers/preload-packages.mjs --import tsx --test --test-concurrency=2 "${files[@]}" || status=$?
if wait "$typecheck_pid"; then
  echo "Type checking: no error."
else
  cat "$typecheck_log"
  echo "Type checking failed."
  status=1
fi
exit "$status"

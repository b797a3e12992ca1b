#!/usr/bin/env bash
# What the test suite runs against beside the JVM, installed when missing: the build
# (mvn verify, initialize phase) runs this, so the README's one test command works on a
# fresh Debian machine (the README examples the tests run use curl and Python requests;
# tomcat-conf/install.sh uses perl; the fuzz tests compare with Go itself; the browser
# tests run Debian's Chromium, driven by the npm packages of src/test/js, installed here too). Each line of NEEDS is "a command that proves the thing is here"
# and "the Debian packages that bring it". Prints the versions found, for the test log.
set -euo pipefail

NEEDS=(
  "redis-server --version|redis-server redis-tools"
  "redis-sentinel --version|redis-sentinel"
  "curl --version|curl"
  "python3 -c 'import requests; print(\"python3-requests\", requests.__version__)'|python3-requests"
  "perl -e 'print qq(perl $^V)'|perl"
  "openssl version|openssl"
  "go version|golang-go"
  "chromium --version 2>/dev/null|chromium"
  "echo node $(node --version)|nodejs"
  "echo npm $(npm --version)|npm"
)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
for need in "${NEEDS[@]}"; do
  probe=${need%%|*}
  packages=${need#*|}
  if ! bash -c "$probe" >/dev/null 2>&1; then
    # shellcheck disable=SC2206
    missing+=($packages)
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Installing must not start the system's own services (they would take the default ports).
  policy=/usr/sbin/policy-rc.d
  created_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod +x "$policy"
    created_policy=1
  fi
  trap '[ -n "$created_policy" ] && as_root rm -f "$policy"' EXIT
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    as_root apt-get update -qq >/dev/null
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
fi

for need in "${NEEDS[@]}"; do
  probe=${need%%|*}
  echo "test dependency: $(bash -c "$probe" 2>&1 | head -n 1)"
done

# The client's tests: playwright-core and typescript, at the versions package-lock.json pins,
# installed again only when the lock changed.
js="$(cd "$(dirname "$0")/../js" && pwd)"
if ! cmp -s "$js/package-lock.json" "$js/node_modules/.installed-lock"; then
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$js/package-lock.json" "$js/node_modules/.installed-lock"
fi
echo "test dependency: playwright-core $(node -p "require('$js/node_modules/playwright-core/package.json').version"), typescript $(node -p "require('$js/node_modules/typescript/package.json').version")"

#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: chromium (browser tests),
# postgresql (the scale engine) and poppler-utils (pdftotext for report tests); with the argument `bench`,
# also wrk (the HTTP load generator of benchmarks/scale.py and load.py). Needs root for apt-get.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${1:-}" = "bench" ]; then command -v wrk >/dev/null 2>&1 || missing+=(wrk); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "system-deps: missing ${missing[*]}; run 'sudo apt-get install -y ${missing[*]}'" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

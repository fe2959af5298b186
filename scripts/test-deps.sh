#!/usr/bin/env bash
# System and npm packages the test suite needs; each step is skipped when already present.
# CI runs as root with no standard input, so nothing here may prompt.
set -euo pipefail
cd "$(dirname "$0")/.."

# DAISY Ace (the EPUB accessibility checker) drives a headless browser: Debian's chromium,
# never the browser puppeteer would try to download.
if ! command -v chromium >/dev/null 2>&1; then
  echo "test-deps: installing chromium (for DAISY Ace)"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get may hold the lock for a while: wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends chromium \
    || { apt-get -o DPkg::Lock::Timeout=900 update \
         && apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends chromium; }
fi

# poppler's pdftotext: the PDF tests read text with it as well as with pypdfium2, so a word
# must extract as a word in both.
if ! command -v pdftotext >/dev/null 2>&1; then
  echo "test-deps: installing poppler-utils (pdftotext)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends poppler-utils \
    || { apt-get -o DPkg::Lock::Timeout=900 update \
         && apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends poppler-utils; }
fi

# Ace itself, pinned by tools/ace/package-lock.json, in a project-local folder.
if [ ! -x tools/ace/node_modules/.bin/ace-cli ]; then
  echo "test-deps: installing @daisy/ace-cli into tools/ace"
  (cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

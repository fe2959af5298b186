#!/usr/bin/env bash
# System and npm packages the test suite needs; each step is skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."
true

#!/usr/bin/env bash
# The whole test suite: builds, then runs every unit, end-to-end and bad-input test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600

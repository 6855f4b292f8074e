#!/usr/bin/env bash
# Quick start: install, build, and run storyline's main job on the bundled example pages.
# Ends by printing the stories and storylines found.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
bash tools/build.sh
DB=${DB:-examples.db}
rm -f "$DB" "$DB-wal" "$DB-shm"
./build/src/cli/storyline --db "$DB" ingest examples/pages --dates examples/published.tsv
echo
./build/src/cli/storyline --db "$DB" storylines --timeline

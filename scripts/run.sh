#!/usr/bin/env bash
# Hark's main job: installs what it needs, builds, and runs the assistant.
# Until `hark listen` arrives, this runs a spoken round trip through the real speech engines.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
log=$(mktemp)
echo "Building hark (the first build takes a few minutes)..."
swift build --product hark >"$log" 2>&1 || { cat "$log"; echo "run: the build failed" >&2; exit 1; }
rm -f "$log"
exec .build/debug/hark demo --output-directory "${HARK_DEMO_DIR:-hark-demo}" "$@"

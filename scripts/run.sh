#!/usr/bin/env bash
# Hark's main job: installs what it needs, builds, and runs `hark listen` on the default capture device.
# On a machine without a microphone, `hark listen` says so and runs the spoken demo through the same pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
log=$(mktemp)
echo "Building hark (the first build takes a few minutes)..."
swift build --product hark >"$log" 2>&1 || { cat "$log"; echo "run: the build failed" >&2; exit 1; }
rm -f "$log"
exec .build/debug/hark listen --output-directory "${HARK_DEMO_DIR:-hark-demo}" "$@"

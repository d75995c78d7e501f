#!/usr/bin/env bash
# Hark's main job: installs what it needs, builds, and runs the assistant.
# `hark listen` listens on the default ALSA capture device for the wake phrase ("hey hark") and answers aloud.
# On a machine without a microphone it says so and runs the spoken demo through the same pipeline instead
# (requests spoken by eSpeak NG, recognised, answered by the skills, replies written to WAV files).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
log=$(mktemp)
echo "Building hark (the first build takes a few minutes)..."
swift build --product hark >"$log" 2>&1 || { cat "$log"; echo "run: the build failed" >&2; exit 1; }
rm -f "$log"
exec .build/debug/hark listen "$@"

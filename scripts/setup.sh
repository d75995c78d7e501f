#!/usr/bin/env bash
# Installs the Debian packages Hark needs to build, run and test, skipping those already present.
# Usage: scripts/setup.sh            (run as root, or with sudo available)
set -euo pipefail

packages=(
  pkg-config
  libpocketsphinx-dev pocketsphinx-en-us   # speech recognition and its US English model
  libespeak-ng-dev espeak-ng               # speech synthesis
  libasound2-dev alsa-utils                # audio devices
  libmosquitto-dev mosquitto mosquitto-clients  # MQTT for smart-home devices, broker for tests
  libsqlite3-dev                           # state
  sox                                      # audio tools used by benchmarks
  bubblewrap util-linux                    # the exec-skill sandbox (bwrap) and its rlimits (prlimit)
  python3-venv                             # the venv of the Wyoming test peers (wyoming, wyoming-satellite)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Amazon's ask-sdk-core, for the example skill that proves ASK SDK handlers run under Hark unchanged.
if ! python3 -c 'import ask_sdk_core' 2>/dev/null; then
  echo "setup: installing ask-sdk-core (PyPI)"
  python3 -m pip install --quiet ask-sdk-core
fi

# The Wyoming peers for the Wyoming tests (ServeWyomingTests): the `wyoming` client library Home Assistant uses and
# `wyoming-satellite`, in a venv of their own (Debian's Python refuses system-wide pip installs). WYOMING_PYTHON
# points the tests at another Python that has both.
wyoming_venv=.build/wyoming-venv
if ! "$wyoming_venv/bin/python" -c 'import wyoming, wyoming_satellite' 2>/dev/null; then
  echo "setup: installing wyoming and wyoming-satellite (PyPI) into $wyoming_venv"
  mkdir -p .build
  python3 -m venv "$wyoming_venv"
  "$wyoming_venv/bin/pip" install --quiet 'wyoming==1.4.1' 'wyoming-satellite==1.0.0'
fi

command -v swift >/dev/null || { echo "setup: Swift 6.2 or newer must be on PATH (https://swift.org/install)" >&2; exit 1; }

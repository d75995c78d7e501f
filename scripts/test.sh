#!/usr/bin/env bash
# Runs Hark's tests: installs what they need, starts a Mosquitto broker on loopback, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# A private MQTT broker on loopback for the smart-home tests; stopped when the tests end.
broker_dir=$(mktemp -d)
export HARK_TEST_MQTT_PORT=${HARK_TEST_MQTT_PORT:-18883}
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$HARK_TEST_MQTT_PORT" >"$broker_dir/mosquitto.conf"
mosquitto -c "$broker_dir/mosquitto.conf" >"$broker_dir/log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null || true; rm -rf "$broker_dir"' EXIT

log=$(mktemp)
# Every module a target imports must be one it declares in Package.swift.
swift build --build-tests --explicit-target-dependency-import-check error >"$log" 2>&1 || { cat "$log"; echo "test: the build failed" >&2; exit 1; }
grep -E 'warning:|error:' "$log" || true
rm -f "$log"
if [ $# -gt 0 ]; then
    exec swift test --skip-build "$@"
fi
# Three phases, each in parallel inside:
# 1. the suites that check wall-clock limits (a hanging skill or a dead server costs at most a few seconds; a
#    satellite retried after 50 ms), on their own (8 s): in a parallel run on two cores, suites that decode or synthesise speech synchronously inside
#    actors occupy Swift's cooperative threads, and an awaiting network test then stalled for up to 70 s;
# 2. everything else but the voice tests;
# 3. the voice tests: `hark` processes that each build the skills' recognizer (tens of CPU-seconds) and
#    VoiceGrammarTests, which builds the skills' grammar several times; the Wyoming server and satellite tests too.
timed='WeatherFailureTests|HTTPSkillTests|ExecSkillTests|SatelliteHubTests|MQTTBrokerDownTests'
voice='AdviceVoiceTests|ListenTests|ListenLoopTests|ListenRingingTests|RingingLoopTests|RunCommandTests|ServeHTTPVoiceTests|RecognitionTests|VoiceGrammarTests|RealVoiceTests|OneTruthTests|ServeWyomingTests|ServeWyomingSatelliteTests'
swift test --skip-build --filter "$timed"
swift test --skip-build --skip "$timed|$voice"
swift test --skip-build --filter "$voice"

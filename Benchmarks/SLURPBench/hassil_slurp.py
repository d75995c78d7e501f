#!/usr/bin/env python3
"""hassil's figures on SLURP's development rows, the peer column for SLURPBench.

Usage: PYTHON hassil_slurp.py SLURP.jsonl FIXTURES.json [--json]

Loads home-assistant-intents' English templates and the devices, areas and floors of ha_en_fixtures.json (slot
lists built by HABench/hassil_bench.py's slot_lists), runs every row through hassil.recognize_best (no satellite
context) and maps Home Assistant's intents to Hark's skill/intent. hassil has no recipes intent, so the rows it
covers are those of skills smarthome, shopping and weather; home-assistant-intents has no English intent that reads
a list out, so shopping/ReadList rows cannot be right. Slots: `location` is compared with the `name` slot of
HassGetWeather (a weather entity of the fixtures: London, Los Angeles), `target` with the `area` slot or else the
`name` slot, both ignoring spaces and case; a row counts when its intent is right and every annotated slot
matches. On skill "none" rows it counts the results whose intent changes something (anything but queries).
Latency is per recognize_best call over every row run (covered and out-of-scope). Prints a markdown table or,
with --json, one JSON object.
"""
import argparse
import json
import os
import statistics
import sys
import time
from importlib.metadata import version

sys.dont_write_bytecode = True  # leave no __pycache__ in HABench
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "HABench"))
from hassil_bench import slot_lists  # noqa: E402

from hassil import Intents, recognize_best  # noqa: E402
from home_assistant_intents import get_intents  # noqa: E402

COVERED = ("smarthome", "shopping", "weather")
TO_HARK = {
    "HassTurnOn": ("smarthome", "TurnOn"),
    "HassTurnOff": ("smarthome", "TurnOff"),
    "HassLightSet": ("smarthome", "LightSet"),
    "HassShoppingListAddItem": ("shopping", "AddItem"),
    "HassListAddItem": ("shopping", "AddItem"),
    "HassShoppingListCompleteItem": ("shopping", "RemoveItem"),
    "HassListCompleteItem": ("shopping", "RemoveItem"),
    "HassListRemoveItem": ("shopping", "RemoveItem"),
    "HassGetWeather": ("weather", "GetWeather"),
}
# Intents that only answer a question; every other intent changes something (device, list, timer, media, ...).
QUERIES = {"HassGetState", "HassGetWeather", "HassClimateGetTemperature", "HassGetCurrentDate",
           "HassGetCurrentTime", "HassTimerStatus", "HassNevermind", "HassRespond"}


def norm(value):
    return "".join(str(value).split()).lower()


def slot_ok(name, expected, slots):
    if name == "location":
        return norm(slots.get("name", "")) == norm(expected)
    if name == "target":
        return norm(slots.get("area", slots.get("name", ""))) == norm(expected)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("slurp")
    parser.add_argument("fixtures")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    rows = [json.loads(line) for line in open(args.slurp) if line.strip()]
    intents = Intents.from_dict(get_intents("en"))
    lists = slot_lists(json.load(open(args.fixtures)))

    latencies = []

    def recognize(text):
        start = time.perf_counter()
        result = recognize_best(text, intents, slot_lists=lists)
        latencies.append(time.perf_counter() - start)
        if result is None:
            return None, {}
        return result.intent.name, {k: e.value for k, e in result.entities.items()}

    per_skill = {skill: [0, 0] for skill in COVERED}  # [rows, intent right]
    slot_rows = {"location": [0, 0], "target": [0, 0]}  # [annotated rows, intent and slot right]
    for row in rows:
        if row["skill"] not in COVERED:
            continue
        intent, slots = recognize(row["text"])
        right = TO_HARK.get(intent) == (row["skill"], row["intent"])
        per_skill[row["skill"]][0] += 1
        per_skill[row["skill"]][1] += right
        for name, expected in row["slots"].items():
            if name in slot_rows:
                slot_rows[name][0] += 1
                slot_rows[name][1] += right and slot_ok(name, expected, slots)
    none_rows = [r for r in rows if r["skill"] == "none"]
    actions = {}
    for row in none_rows:
        intent, _ = recognize(row["text"])
        if intent is not None and intent not in QUERIES:
            actions[intent] = actions.get(intent, 0) + 1

    total = sum(latencies)
    covered = sum(n for n, _ in per_skill.values())
    figures = {
        "engine": "hassil " + version("hassil"),
        "intents_version": version("home-assistant-intents"),
        "rows_covered": covered,
        "intent_correct": sum(ok for _, ok in per_skill.values()),
        "per_skill": {s: {"rows": n, "intent_correct": ok} for s, (n, ok) in per_skill.items()},
        "slots": {s: {"rows": n, "correct": ok} for s, (n, ok) in slot_rows.items()},
        "out_of_scope_rows": len(none_rows),
        "out_of_scope_actions": sum(actions.values()),
        "out_of_scope_action_intents": actions,
        "sentences": len(latencies),
        "mean_ms": statistics.mean(latencies) * 1000,
        "p99_ms": sorted(latencies)[int(0.99 * (len(latencies) - 1))] * 1000,
        "sentences_per_second": len(latencies) / total,
    }
    if args.json:
        print(json.dumps(figures))
        return

    def pct(ok, n):
        return f"{ok}/{n} ({100 * ok / n:.1f} %)" if n else "–"

    print(f"### hassil (home-assistant-intents {figures['intents_version']}) on the SLURP rows it covers\n")
    print(f"| {figures['engine']} | |\n|---|---|")
    for skill, (n, ok) in per_skill.items():
        print(f"| intent right, {skill} | {pct(ok, n)} |")
    print(f"| **intent right, total** | **{pct(figures['intent_correct'], covered)}** |")
    for name, (n, ok) in slot_rows.items():
        print(f"| intent and {name} right (rows annotated) | {pct(ok, n)} |")
    print(f"| actions on out-of-scope rows | {pct(figures['out_of_scope_actions'], len(none_rows))} |")
    print(f"| mean / p99 per sentence | {figures['mean_ms']:.2f} ms / {figures['p99_ms']:.2f} ms |")
    print(f"| sentences/s | {figures['sentences_per_second']:.0f} |")


if __name__ == "__main__":
    main()

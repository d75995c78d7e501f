#!/usr/bin/env python3
"""hassil's figures on Home Assistant's English test rows, for HABench's side-by-side comparison.

Loads home-assistant-intents' English templates and the devices, areas and floors of ha_en_fixtures.json, runs
the in-scope rows (domain_hint light, switch, fan, climate, shopping_list, todo, weather) through
hassil.recognize_best with each row's context, and the out-of-scope rows to count actions on a wrong device.
Prints one JSON object (--json) or a short table.
"""
import argparse
import json
import statistics
import sys
import time

from hassil import Intents, recognize_best
from hassil.intents import TextSlotList
from home_assistant_intents import get_intents

IN_SCOPE = {"light", "switch", "fan", "climate", "shopping_list", "todo", "weather"}
ACTIONS = {"HassTurnOn", "HassTurnOff", "HassToggle", "HassLightSet", "HassClimateSetTemperature"}


def slot_lists(fixtures):
    names, areas, floors = [], [], []
    for entity in fixtures["entities"]:
        context = {"domain": entity["domain"]}
        if entity.get("area"):
            context["area"] = entity["area"]
        for spoken in [entity["name"]] + list(entity.get("aliases") or []):
            names.append((spoken, entity["name"], context))
    for area in fixtures["areas"]:
        for spoken in [area["name"]] + list(area.get("aliases") or []):
            areas.append((spoken, area["name"], {}))
    for floor in fixtures["floors"]:
        for spoken in [floor["name"]] + list(floor.get("aliases") or []):
            floors.append((spoken, floor["name"], {}))
    return {
        "name": TextSlotList.from_tuples(names, allow_template=False),
        "area": TextSlotList.from_tuples(areas, allow_template=False),
        "floor": TextSlotList.from_tuples(floors, allow_template=False),
    }


def same_value(expected, actual):
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return abs(float(actual) - float(expected)) < 1e-6
        except (TypeError, ValueError):
            return False
    if isinstance(actual, str):
        return actual.strip() == str(expected).strip()
    return actual == expected


def slots_of(result):
    return {name: entity.value for name, entity in result.entities.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-intents", default="", help="comma-separated HA intents left out (as on the Hark side)")
    args = parser.parse_args()

    fixtures = json.load(open(args.fixtures))
    rows = [json.loads(line) for line in open(args.corpus) if line.strip()]
    intents = Intents.from_dict(get_intents("en"))
    lists = slot_lists(fixtures)

    def recognize(row):
        return recognize_best(row["text"], intents, slot_lists=lists, intent_context=row.get("context") or None)

    skip = {name for name in args.skip_intents.split(",") if name}
    in_scope = [r for r in rows if r.get("domain_hint") in IN_SCOPE and r["intent"] not in skip]
    out_scope = [r for r in rows if r.get("domain_hint") not in IN_SCOPE]
    intent_ok = slots_ok = 0
    latencies = []
    failures = []
    for _ in range(args.passes):
        for row in in_scope:
            start = time.perf_counter()
            result = recognize(row)
            latencies.append(time.perf_counter() - start)
    for row in in_scope:
        result = recognize(row)
        if result is not None and result.intent.name == row["intent"]:
            intent_ok += 1
            actual = slots_of(result)
            expected = row["slots"]
            if set(actual) == set(expected) and all(same_value(expected[k], actual[k]) for k in expected):
                slots_ok += 1
            else:
                failures.append((row["text"], row["intent"], expected, actual))
        else:
            failures.append((row["text"], row["intent"], row["slots"], result.intent.name if result else None))
    def devices(slots):
        """The fixtures' devices a set of slots points at (None: no target named)."""
        name = slots.get("name")
        if name and name != "all":
            return {e["id"] for e in fixtures["entities"] if name in [e["name"]] + list(e.get("aliases") or [])}
        if not any(k in slots for k in ("area", "floor", "domain")):
            return None
        floor_of = {a["name"]: a.get("floor") for a in fixtures["areas"]}
        return {e["id"] for e in fixtures["entities"]
                if slots.get("area", e.get("area")) == e.get("area")
                and slots.get("floor", floor_of.get(e.get("area"))) == floor_of.get(e.get("area"))
                and slots.get("domain", e["domain"]) == e["domain"]}

    wrong = []
    actions = 0
    for row in out_scope:
        result = recognize(row)
        if result is None or result.intent.name not in ACTIONS:
            continue
        actions += 1
        actual = {k: v for k, v in slots_of(result).items() if isinstance(v, str)}
        expected = {k: v for k, v in row["slots"].items() if isinstance(v, str)}
        if result.intent.name != row["intent"] or devices(actual) != devices(expected):
            wrong.append((row["text"], result.intent.name, actual))
    total = sum(latencies)
    figures = {
        "engine": "hassil " + __import__("importlib.metadata").metadata.version("hassil"),
        "rows": len(in_scope),
        "intent_correct": intent_ok,
        "slots_correct": slots_ok,
        "sentences_per_second": len(latencies) / total if total else 0,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0,
        "p99_ms": sorted(latencies)[int(0.99 * (len(latencies) - 1))] * 1000 if latencies else 0,
        "out_of_scope_rows": len(out_scope),
        "wrong_device_actions": len(wrong),
        "out_of_scope_actions": actions,
        "intents_version": __import__("importlib.metadata").metadata.version("home-assistant-intents"),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(json.dumps(figures, indent=1))
        for failure in failures[:40]:
            print("FAIL", failure, file=sys.stderr)
        for item in wrong[:20]:
            print("WRONG", item, file=sys.stderr)


if __name__ == "__main__":
    main()

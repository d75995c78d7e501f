#!/usr/bin/env python3
"""Runs an Alexa skill written with Amazon's ASK SDK for Python under Hark, unchanged.

Hark (entry: exec) writes one Alexa request envelope per line on standard input and reads one response
envelope per line from standard output. This runner imports the skill's module (named on the command
line, default `lambda_function`), finds its Lambda entry point (`lambda_handler`, `handler`, or a
SkillBuilder called `sb`), and calls it once per line exactly as AWS Lambda would: handler(event, None).

Usage in skill.yaml:   command: [python3, run.py, hello_skill]
"""
import importlib
import json
import os
import sys
import traceback


def find_entry_point(module):
    for name in ("lambda_handler", "handler"):
        function = getattr(module, name, None)
        if callable(function):
            return function
    builder = getattr(module, "sb", None)
    if builder is not None and hasattr(builder, "lambda_handler"):
        return builder.lambda_handler()
    raise SystemExit("%s: no lambda_handler, handler or sb (SkillBuilder) to call" % module.__name__)


def main():
    protocol = sys.stdout
    sys.stdout = sys.stderr  # a stray print() in a handler must not corrupt the protocol
    sys.path.insert(0, os.getcwd())
    module_name = sys.argv[1] if len(sys.argv) > 1 else "lambda_function"
    entry_point = find_entry_point(importlib.import_module(module_name))
    for line in sys.stdin:
        if not line.strip():
            continue
        request_id = session_id = None
        try:
            event = json.loads(line)
            request_id = event.get("request", {}).get("requestId")
            session_id = (event.get("session") or {}).get("sessionId")
            answer = entry_point(event, None)
        except Exception as error:  # the skill's own failure: Hark apologises and logs it
            traceback.print_exc(file=sys.stderr)
            answer = {"version": "1.0", "error": "%s: %s" % (type(error).__name__, error)}
        answer["requestId"] = request_id
        answer["sessionId"] = session_id
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()

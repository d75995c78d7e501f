#!/usr/bin/env python3
"""A Hark skill without any SDK: Python's standard library and the Alexa JSON envelope, one line at a time.

Hark writes one request per line on standard input; the skill writes one response per line on standard
output, echoing the request's requestId and sessionId. Logs go to standard error.
"""
import json
import random
import sys


def speak(text, end_session=True, attributes=None, reprompt=None):
    response = {"outputSpeech": {"type": "PlainText", "text": text}, "shouldEndSession": end_session}
    if reprompt:
        response["reprompt"] = {"outputSpeech": {"type": "PlainText", "text": reprompt}}
    return {"version": "1.0", "sessionAttributes": attributes or {}, "response": response}


def slot_value(intent, name):
    slot = (intent.get("slots") or {}).get(name) or {}
    return slot.get("value")


def handle(event, rng):
    request = event["request"]
    attributes = (event.get("session") or {}).get("attributes") or {}
    if request["type"] == "LaunchRequest":
        return speak("Coin flip here. Say flip a coin.", end_session=False, reprompt="Say flip a coin.")
    if request["type"] == "SessionEndedRequest":
        return {"version": "1.0", "response": {}}
    intent = request["intent"]
    name = intent["name"]
    if name == "FlipCoin":
        side = rng.choice(["heads", "tails"])
        flips = attributes.get("flips", 0) + 1
        return speak("It's %s. Flip again?" % side, end_session=False,
                     attributes={"flips": flips, "last": side}, reprompt="Say yes to flip again.")
    if name == "FlipCoins":
        count = int(float(slot_value(intent, "count") or "2"))
        sides = [rng.choice(["heads", "tails"]) for _ in range(count)]
        heads = sides.count("heads")
        return speak("%d heads and %d tails." % (heads, count - heads))
    if name == "AMAZON.YesIntent" and "last" in attributes:
        side = rng.choice(["heads", "tails"])
        flips = attributes.get("flips", 0) + 1
        return speak("It's %s. That's %d flips. Again?" % (side, flips), end_session=False,
                     attributes={"flips": flips, "last": side}, reprompt="Say yes to flip again.")
    if name == "AMAZON.NoIntent":
        return speak("Okay. %d flips in all." % attributes.get("flips", 0))
    return speak("I can only flip coins.")


def main():
    rng = random.Random()
    for line in sys.stdin:
        if not line.strip():
            continue
        event = json.loads(line)
        try:
            answer = handle(event, rng)
        except Exception as error:
            print("coin-flip: %r" % error, file=sys.stderr)
            answer = {"version": "1.0", "error": repr(error)}
        answer["requestId"] = event["request"]["requestId"]
        answer["sessionId"] = (event.get("session") or {}).get("sessionId")
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

"""A microphone for wyoming-satellite's --mic-command: raw 16 kHz 16-bit mono PCM on stdout, in real time.

Usage: mic.py RAW [SECONDS_OF_SILENCE_FIRST]. Plays the silence, then RAW, then silence until killed.
"""
import sys
import time

CHUNK = 1600  # samples: 100 ms
raw = open(sys.argv[1], "rb").read()
lead = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
audio = bytes(int(16000 * lead) * 2) + raw
out = sys.stdout.buffer
started = time.monotonic()
sent = 0
while True:
    piece = audio[sent * 2:(sent + CHUNK) * 2]
    if len(piece) < CHUNK * 2:
        piece += bytes(CHUNK * 2 - len(piece))
    out.write(piece)
    out.flush()
    sent += CHUNK
    delay = started + sent / 16000 - time.monotonic()
    if delay > 0:
        time.sleep(delay)

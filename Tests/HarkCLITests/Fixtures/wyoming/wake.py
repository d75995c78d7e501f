"""A wake word service for wyoming-satellite's --wake-command: reads raw 16 kHz 16-bit mono PCM on stdin and, once
it has read SECONDS of it, prints NAME once (a detection), then reads on until stdin closes.

Usage: wake.py NAME SECONDS
"""
import sys

name, seconds = sys.argv[1], float(sys.argv[2])
needed = int(16000 * 2 * seconds)
read = 0
told = False
while True:
    data = sys.stdin.buffer.read(3200)
    if not data:
        break
    read += len(data)
    if not told and read >= needed:
        print(name, flush=True)
        told = True

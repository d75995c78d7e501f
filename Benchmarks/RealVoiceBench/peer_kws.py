#!/usr/bin/env python3
"""RealVoiceBench peer: python `pocketsphinx` 5 (PyPI) keyword spotting, the wake-word method people use with it.

Reads WAV paths (16 kHz mono 16-bit, one per line) on stdin; for each -kws_threshold given, decodes every file with
the keyphrase search and prints one JSON object per file: {"path": ..., "detected": [bool per threshold]}.
Usage: peer_kws.py --keyphrase computer --thresholds 1e-10,1e-20,1e-30
"""
import argparse
import json
import sys
import wave

from pocketsphinx import Config, Decoder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keyphrase", required=True)
    parser.add_argument("--thresholds", default="1e-10,1e-20,1e-30,1e-40")
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    decoders = []
    for threshold in thresholds:
        config = Config(loglevel="FATAL", samprate=16000, lm=None, keyphrase=args.keyphrase, kws_threshold=threshold)
        decoders.append(Decoder(config))
    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        with wave.open(path, "rb") as wav:
            data = wav.readframes(wav.getnframes())
        detected = []
        for decoder in decoders:
            decoder.start_utt()
            decoder.process_raw(data, full_utt=True)
            decoder.end_utt()
            hyp = decoder.hyp()
            detected.append(bool(hyp and args.keyphrase in hyp.hypstr))
        print(json.dumps({"path": path, "detected": detected}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

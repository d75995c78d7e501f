#!/usr/bin/env python3
"""VoiceBench peer: python `pocketsphinx` 5 (PyPI) decoding the benchmark's WAV files.

Reads WAV paths (16 kHz mono 16-bit, one per line) on stdin and prints one JSON object per line:
{"path": ..., "text": ..., "ms": decode milliseconds}. With --jsgf FILE it decodes with that grammar instead
of the generic en-us language model bundled with the wheel; --dict adds a dictionary (the grammar's words);
--hmm uses another acoustic model than the wheel's (SpeechBench passes the Debian one Hark uses).
The first line printed is {"ready": true, "load_ms": ..., "version": ...} once the decoder is loaded.
"""
import argparse
import json
import sys
import time
import wave

import pocketsphinx
from pocketsphinx import Config, Decoder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsgf", help="decode with this JSGF grammar instead of the language model")
    parser.add_argument("--fsg", help="decode with this finite-state grammar (Sphinx FSG text) instead")
    parser.add_argument("--dict", help="pronunciation dictionary to use instead of the bundled one")
    parser.add_argument("--hmm", help="acoustic model folder to use instead of the bundled one")
    args = parser.parse_args()

    started = time.perf_counter()
    config = Config(loglevel="FATAL", samprate=16000)
    if args.hmm:
        config["hmm"] = args.hmm
    if args.dict:
        config["dict"] = args.dict
    if args.jsgf:
        config["jsgf"] = args.jsgf
        config["lm"] = None
    if args.fsg:
        config["fsg"] = args.fsg
        config["lm"] = None
    decoder = Decoder(config)
    try:
        from importlib.metadata import version as package_version
        version = package_version("pocketsphinx")
    except Exception:  # noqa: BLE001 - the version is only printed
        version = "5"
    print(json.dumps({"ready": True, "load_ms": (time.perf_counter() - started) * 1000, "version": version}),
          flush=True)

    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        try:
            with wave.open(path, "rb") as wav:
                if wav.getframerate() != 16000 or wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                    raise ValueError("not 16 kHz mono 16-bit")
                data = wav.readframes(wav.getnframes())
        except (OSError, ValueError, wave.Error) as error:
            print(json.dumps({"path": path, "error": str(error)}), flush=True)
            continue
        start = time.perf_counter()
        decoder.start_utt()
        decoder.process_raw(data, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        elapsed = (time.perf_counter() - start) * 1000
        print(json.dumps({"path": path, "text": hyp.hypstr if hyp else "", "ms": elapsed}), flush=True)
    print(json.dumps({"done": True, "peak_kb": peak_kilobytes()}), flush=True)
    return 0


def peak_kilobytes():
    """This process's peak resident memory, in kilobytes.

    VmHWM belongs to the process's own address space. ru_maxrss does not do here: Linux carries it over from the
    process that forked this one (the benchmark, hundreds of megabytes) across exec, so it reported the parent's peak.
    Without /proc (not Linux), None: the benchmark then prints nan rather than a wrong figure.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return None


if __name__ == "__main__":
    sys.exit(main())

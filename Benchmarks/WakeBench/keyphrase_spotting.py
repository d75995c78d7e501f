#!/usr/bin/env python3
"""(a) of the wake-phrase benchmark: PocketSphinx keyphrase spotting (ps_set_keyphrase / -keyphrase).

HarkSpeech does not expose the keyword-spotting search, so this calls the same Debian libpocketsphinx 0.8
through ctypes, on the same audio as WakeBench (eSpeak NG voices x the skills' test sentences, with and without
the wake phrase). Prints detection and false alarms per hour for several -kws_threshold values.
Usage: python3 Benchmarks/WakeBench/keyphrase_spotting.py [SENTENCES_PER_SKILL] (from the package folder).
"""
import ctypes, glob, re, subprocess, sys

MODEL = "/usr/share/pocketsphinx/model/en-us"
VOICES = ["en-us", "en-us+f2", "en+m3", "en-us+f4"]
RATES = [150, 175, 195]
WAKE = "hey hark"

def sentences(per_skill):
    out = []
    for path in sorted(glob.glob("Skills/*/tests/en.yaml")):
        taken = 0
        for m in re.finditer(r'text:\s*"?([^,"}\n#]+)', open(path).read()):
            s = m.group(1).strip().lower()
            if s and not re.search(r"\d", s) and taken < per_skill:
                out.append(s); taken += 1
    return out

def speak(text, voice, rate):
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "--stdout", text], capture_output=True).stdout
    return subprocess.run(["sox", "-t", "wav", "-", "-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", "-"],
                          input=wav, capture_output=True).stdout

ps = ctypes.CDLL("libpocketsphinx.so.3")
ps.ps_args.restype = ctypes.c_void_p
ps.cmd_ln_init.restype = ctypes.c_void_p
ps.ps_init.restype = ctypes.c_void_p
ps.ps_init.argtypes = [ctypes.c_void_p]
ps.ps_get_hyp.restype = ctypes.c_char_p
ps.ps_get_hyp.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32)]
ps.ps_start_utt.argtypes = [ctypes.c_void_p]
ps.ps_end_utt.argtypes = [ctypes.c_void_p]
ps.ps_process_raw.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]

def decoder(threshold):
    args = [b"-hmm", f"{MODEL}/en-us".encode(), b"-dict", f"{MODEL}/cmudict-en-us.dict".encode(),
            b"-keyphrase", WAKE.encode(), b"-kws_threshold", threshold.encode(), b"-logfn", b"/dev/null"]
    config = ps.cmd_ln_init(None, ctypes.c_void_p(ps.ps_args()), 1, *[ctypes.c_char_p(a) for a in args], None)
    return ps.ps_init(config)

def spotted(d, audio):
    ps.ps_start_utt(d)
    for start in range(0, len(audio), 3200):  # 100 ms blocks, streamed as a live microphone would be
        block = audio[start:start + 3200]
        ps.ps_process_raw(d, block, len(block) // 2, 0, 0)
    ps.ps_end_utt(d)
    hyp = ps.ps_get_hyp(d, None)
    return bool(hyp) and WAKE in hyp.decode()

def main():
    per_skill = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    items = sentences(per_skill)
    clips = []
    for i, s in enumerate(items):
        v, r = VOICES[i % len(VOICES)], RATES[i % len(RATES)]
        clips.append((speak(f"{WAKE}, {s}", v, r), True))
        clips.append((speak(s, v, r), False))
    neg_seconds = sum(len(a) / 32000 for a, w in clips if not w)
    print(f"(a) keyphrase spotting '{WAKE}': {len(items)} sentences x {len(VOICES)} voices, "
          f"{neg_seconds / 60:.1f} min of non-wake speech")
    for threshold in ["1e-80", "1e-60", "1e-50", "1e-40", "1e-30", "1e-20"]:
        d = decoder(threshold)
        det = sum(spotted(d, a) for a, w in clips if w)
        fa = sum(spotted(d, a) for a, w in clips if not w)
        pos = sum(1 for _, w in clips if w)
        print(f"(a) kws_threshold {threshold}: detected {det}/{pos} ({100 * det / pos:.1f} %); false alarms "
              f"{fa}/{len(clips) - pos} = {fa / (neg_seconds / 3600):.1f} per hour")

main()

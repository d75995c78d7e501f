"""A Wyoming client for Hark's CLI tests, built on the `wyoming` package from PyPI (what Home Assistant uses).

Usage: client.py HOST PORT COMMAND [ARGS...]; prints one JSON object a line on stdout.
  describe                      the info event's data, after wyoming.info.Info parsed it
  transcribe WAV                transcribe + the WAV streamed as 1024-sample audio-chunks + audio-stop -> transcript
  synthesize TEXT OUT.wav [VOICE]  synthesize -> audio, written to OUT.wav; prints its format and size
  recognize TEXT                recognize -> intent / not-recognized
  handle TEXT [TEXT...]         transcript -> handled / not-handled, one line per text, on one connection
  detect WAV                    detect + the WAV streamed + audio-stop -> detection / not-detected
  garbage                       a header line that is not JSON -> the error event; then describe on a new connection
"""
import asyncio
import json
import socket
import sys
import wave

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop, wav_to_chunks
from wyoming.client import AsyncTcpClient
from wyoming.event import read_event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info
from wyoming.intent import Intent, NotRecognized, Recognize
from wyoming.tts import Synthesize, SynthesizeVoice
from wyoming.wake import Detect, Detection, NotDetected


async def next_event(client, *types):
    while True:
        event = await asyncio.wait_for(client.read_event(), timeout=600)
        if event is None:
            raise SystemExit("the server closed the connection")
        if not types or event.type in types:
            return event


async def stream_wav(client, path):
    with wave.open(path, "rb") as wav:
        await client.write_event(
            AudioStart(rate=wav.getframerate(), width=wav.getsampwidth(), channels=wav.getnchannels()).event())
        for chunk in wav_to_chunks(wav, samples_per_chunk=1024):
            await client.write_event(chunk.event())
    await client.write_event(AudioStop().event())


async def main():
    host, port, command, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    if command == "garbage":
        with socket.create_connection((host, port), timeout=60) as sock:
            sock.sendall(b"this is not json\n")
            reader = sock.makefile("rb")
            event = read_event(reader)
            print(json.dumps({"type": event.type, "data": event.data}))
            closed = reader.read() == b""
            print(json.dumps({"closed": closed}))
        command = "describe"
    async with AsyncTcpClient(host, port) as client:
        if command == "describe":
            await client.write_event(Describe().event())
            event = await next_event(client, "info")
            info = Info.from_event(event)  # what Home Assistant's integration does with it
            assert info.asr and info.tts and info.handle and info.intent and info.wake
            print(json.dumps(event.data, sort_keys=True))
        elif command == "transcribe":
            await client.write_event(Transcribe(language="en").event())
            await stream_wav(client, args[0])
            event = await next_event(client, "transcript", "error")
            print(json.dumps({"type": event.type, **event.data}))
        elif command == "synthesize":
            voice = SynthesizeVoice(name=args[2]) if len(args) > 2 else None
            await client.write_event(Synthesize(text=args[0], voice=voice).event())
            start = await next_event(client, "audio-start", "error")
            if start.type == "error":
                print(json.dumps({"type": "error", **start.data}))
                return
            start = AudioStart.from_event(start)
            audio, chunks = b"", 0
            while True:
                event = await next_event(client)
                if AudioChunk.is_type(event.type):
                    chunk = AudioChunk.from_event(event)
                    assert (chunk.rate, chunk.width, chunk.channels) == (start.rate, start.width, start.channels)
                    audio += chunk.audio
                    chunks += 1
                elif AudioStop.is_type(event.type):
                    break
            with wave.open(args[1], "wb") as out:
                out.setframerate(start.rate)
                out.setsampwidth(start.width)
                out.setnchannels(start.channels)
                out.writeframes(audio)
            print(json.dumps({"rate": start.rate, "width": start.width, "channels": start.channels,
                              "bytes": len(audio), "chunks": chunks}))
        elif command == "recognize":
            await client.write_event(Recognize(text=args[0]).event())
            event = await next_event(client, "intent", "not-recognized")
            if Intent.is_type(event.type):
                intent = Intent.from_event(event)
                print(json.dumps({"type": "intent", "name": intent.name, "text": intent.text,
                                  "entities": {e.name: e.value for e in intent.entities}, "context": intent.context}))
            else:
                print(json.dumps({"type": event.type, "text": NotRecognized.from_event(event).text}))
        elif command == "handle":
            for text in args:
                await client.write_event(Transcript(text=text).event())
                event = await next_event(client, "handled", "not-handled")
                reply = Handled.from_event(event) if Handled.is_type(event.type) else NotHandled.from_event(event)
                print(json.dumps({"type": event.type, "text": reply.text}))
        elif command == "detect":
            await client.write_event(Detect().event())
            await stream_wav(client, args[0])
            event = await next_event(client, "detection", "not-detected")
            if Detection.is_type(event.type):
                detection = Detection.from_event(event)
                print(json.dumps({"type": "detection", "name": detection.name, "timestamp": detection.timestamp}))
            else:
                print(json.dumps({"type": event.type}))
        else:
            raise SystemExit(f"unknown command {command}")


asyncio.run(main())

import Foundation
import HarkAudio
import Testing

/// `hark say`, `hark transcribe` and `hark doctor`, run as the real binary.
@Suite struct SpeechCommandTests {
    static let grammar = """
        #JSGF V1.0;
        grammar home;
        public <command> = turn (on | off) the (kitchen | bedroom) light | add milk to my shopping list;

        """

    @Test func sayThenTranscribeGivesTheSentenceBack() throws {
        let hark = try HarkProcess()
        let say = try hark.run(["say", "turn on the kitchen light", "-o", "a.wav"])
        #expect(say.status == 0, "\(say.stderr)")
        let audio = try WAVFile.read(path: hark.home + "/a.wav")
        #expect(audio.format.sampleRate == 22_050)
        #expect(Double(audio.samples.count) / Double(audio.format.sampleRate) > 0.8)

        try Self.grammar.write(toFile: hark.home + "/g.jsgf", atomically: true, encoding: .utf8)
        let heard = try hark.run(["transcribe", "a.wav", "--grammar", "g.jsgf"])
        #expect(heard.status == 0, "\(heard.stderr)")
        #expect(heard.stdout == "turn on the kitchen light\n")

        let json = try hark.run(["transcribe", "a.wav", "--grammar", "g.jsgf", "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "turn on the kitchen light")
        let confidence = try #require(object["confidence"] as? Double)
        #expect((0...1).contains(confidence))
        let timings = try #require(object["timings"] as? [String: Double])
        #expect(timings["decode"] != nil)
    }

    @Test func transcribeWithoutGrammarUsesTheGenericModel() throws {
        let hark = try HarkProcess()
        #expect(try hark.run(["say", "hello", "-o", "hello.wav"]).status == 0)
        let heard = try hark.run(["transcribe", "hello.wav", "--json"])
        #expect(heard.status == 0, "\(heard.stderr)")
        #expect(heard.stdout.contains("\"text\""))
    }

    @Test(arguments: [
        ("not-a-wav.wav", Data("hello, I am not audio".utf8), "not-a-wav.wav"),
        ("empty.wav", Data(), "empty.wav"),
    ])
    func brokenAudioGetsAOneLineErrorNamingTheFile(name: String, bytes: Data, mention: String) throws {
        let hark = try HarkProcess()
        try bytes.write(to: URL(fileURLWithPath: hark.home + "/" + name))
        let result = try hark.run(["transcribe", name])
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention))
        #expect(result.stderr.split(separator: "\n").count <= 2, "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func grammarSyntaxErrorNamesTheFile() throws {
        let hark = try HarkProcess()
        #expect(try hark.run(["say", "turn on the kitchen light", "-o", "a.wav"]).status == 0)
        try "#JSGF V1.0;\ngrammar bad;\npublic <x> = (turn on | off;\n"
            .write(toFile: hark.home + "/bad.jsgf", atomically: true, encoding: .utf8)
        let result = try hark.run(["transcribe", "a.wav", "--grammar", "bad.jsgf"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.jsgf"), "\(result.stderr)")
    }

    @Test func missingModelFolderIsNamed() throws {
        let hark = try HarkProcess()
        #expect(try hark.run(["say", "hello", "-o", "a.wav"]).status == 0)
        let result = try hark.run(["transcribe", "a.wav", "--acoustic-model", "/nonexistent/model"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/model"), "\(result.stderr)")
    }

    @Test func sayToAMissingDeviceFailsClearly() throws {
        let hark = try HarkProcess()
        let result = try hark.run(["say", "hello", "--device", "nosuch"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("nosuch"), "\(result.stderr)")
    }

    @Test func sayPlaysTheSynthesisedAudioOnTheALSADevice() throws {
        var hark = try HarkProcess()
        let conf = hark.home + "/asound.conf"
        try """
            pcm.!default { type file  slave.pcm { type null }  file "\(hark.home)/played.wav"  format "wav"  perm 0644 }
            """.write(toFile: conf, atomically: true, encoding: .utf8)
        hark.environment["ALSA_CONFIG_PATH"] = conf
        let play = try hark.run(["say", "add milk to my shopping list"])
        #expect(play.status == 0, "\(play.stderr)")
        #expect(try hark.run(["say", "add milk to my shopping list", "-o", "written.wav"]).status == 0)
        let played = try WAVFile.read(path: hark.home + "/played.wav").chunk()
        let written = try WAVFile.read(path: hark.home + "/written.wav").chunk()
        #expect(played.format == written.format)
        // The ALSA file plugin may pad the last period: the played audio starts with every written sample.
        #expect(played.samples.count >= written.samples.count)
        #expect(Array(played.samples.prefix(written.samples.count)) == written.samples)
    }

    @Test func doctorPassesOnThisMachine() throws {
        let hark = try HarkProcess()
        let result = try hark.run(["doctor"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("ok    speech recognition"))
        #expect(result.stdout.contains("Hark is ready"))
    }

    @Test func doctorNamesTheFixForAMissingModel() throws {
        let hark = try HarkProcess()
        try "speech:\n  acoustic_model: /nonexistent/en-us\n"
            .write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let result = try hark.run(["doctor"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  speech models"))
        #expect(result.stdout.contains("apt-get install -y pocketsphinx-en-us"))
    }

    @Test func doctorReportsABrokenConfiguration() throws {
        let hark = try HarkProcess()
        try "voice: [not, a, mapping\n".write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let result = try hark.run(["doctor"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  configuration"))
        #expect(result.stdout.contains("config.yaml"))
    }
}

import ArgumentParser
import Foundation
import HarkAudio
import HarkRuntime
import HarkSpeech
import HarkVoice

/// `hark doctor`: checks libraries, models, audio devices and folders, and says how to fix each problem.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check libraries, models, audio devices and configuration; print one fix per problem.")

    @OptionGroup var models: ModelOptions

    func run() async throws {
        var report = DoctorReport()
        let paths = HarkPaths.fromEnvironment()

        // Configuration first: everything else depends on it.
        let config: HarkConfiguration
        do {
            config = try models.configuration()
            report.ok("configuration", FileManager.default.fileExists(atPath: paths.configFile)
                ? paths.configFile : "no \(paths.configFile); using defaults")
        } catch {
            report.fail("configuration", "\(error)", fix: "correct \(paths.configFile) or move it aside")
            config = HarkConfiguration()
        }

        for package in DebianPackage.required {
            if let version = package.installedVersion() {
                report.ok("package \(package.name)", version)
            } else {
                report.fail("package \(package.name)", "not installed (\(package.purpose))",
                    fix: "apt-get install -y \(package.name)")
            }
        }

        report.ok("PocketSphinx library", SpeechLibraries.pocketsphinxVersion)
        report.ok("eSpeak NG library", SpeechLibraries.espeakVersion)
        report.ok("ALSA library", ALSADevices.libraryVersion)

        var modelsUsable = true
        do {
            try config.speechModels.validate()
            report.ok("speech models", config.speechModels.acousticModel)
        } catch {
            modelsUsable = false
            report.fail("speech models", "\(error)",
                fix: "apt-get install -y pocketsphinx-en-us, or correct speech: paths in \(paths.configFile)")
        }

        // A real round trip: eSpeak NG speaks a phrase, PocketSphinx must hear it back.
        let phrase = "hark is ready"
        do {
            let audio = try await Synthesizer.shared.synthesizeForRecognition(phrase, voice: config.voice)
            report.ok("speech synthesis", "voice \(config.voice.name), \(audio.sampleRate) Hz")
            if modelsUsable {
                let grammar = "#JSGF V1.0;\ngrammar doctor;\npublic <check> = hark is ready | hark is not ready;\n"
                let recognizer = try Recognizer(models: config.speechModels, grammar: .jsgf(grammar, name: "doctor"))
                let heard = try await recognizer.transcribe(audio).text
                if heard == phrase {
                    report.ok("speech recognition", "heard \"\(heard)\"")
                } else {
                    report.fail("speech recognition", "said \"\(phrase)\" but heard \"\(heard)\"",
                        fix: "reinstall the model: apt-get install --reinstall pocketsphinx-en-us")
                }
            }
        } catch {
            report.fail("speech", "\(error)", fix: "apt-get install -y espeak-ng-data pocketsphinx-en-us")
        }

        if modelsUsable { await checkGrammarPronunciations(config: config, paths: paths, report: &report) }

        for (role, device, capture) in [
            ("capture device", config.audio.captureDevice, true),
            ("playback device", config.audio.playbackDevice, false),
        ] {
            switch ALSADevices.canOpen(device, forCapture: capture) {
            case .success: report.ok(role, "'\(device)'")
            case .failure(let error):
                report.warn(role, "\(error)",
                    fix: capture
                        ? "connect a microphone or set audio.capture_device in \(paths.configFile) (`arecord -L` lists devices); text mode and `hark run` work without one"
                        : "connect a speaker or set audio.playback_device (`aplay -L` lists devices); `hark say -o` and `hark run --output` write WAV files without one")
            }
        }

        do {
            try paths.ensureDataDirectory()
            let probe = paths.dataDirectory + "/.doctor-\(getpid())"
            guard FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) else {
                throw CocoaError(.fileWriteNoPermission)
            }
            try FileManager.default.removeItem(atPath: probe)
            report.ok("data folder", paths.dataDirectory)
        } catch {
            report.fail("data folder", "\(paths.dataDirectory) is not writable",
                fix: "make it writable, or set HARK_HOME to a writable folder")
        }

        report.printSummary()
        if report.failures > 0 { throw ExitCode(1) }
    }
}

extension DoctorCommand {
    /// Every word of the voice grammar (the skills' sentences and wildcard vocabularies) needs a pronunciation:
    /// from the dictionary, `Models/hark.dict`, or eSpeak NG's phonemes; the rest are named.
    func checkGrammarPronunciations(config: HarkConfiguration, paths: HarkPaths, report: inout DoctorReport) async {
        do {
            let assistant = try HarkEnvironment(paths: paths, configuration: config).makeAssistant()
            let recognizer = try await VoiceRecognizer(
                assistant: assistant, models: config.speechModels, wakePhrase: config.wakePhrase)
            await assistant.shutdown()
            let pronunciations = await recognizer.pronunciations
            let words = await recognizer.grammar.words.count
            let unheard = await recognizer.grammar.unheardWildcards
            if !unheard.isEmpty {
                report.warn(
                    "voice grammar", "no vocabulary for wildcard list(s) \(unheard.joined(separator: ", ")): their sentences cannot be heard",
                    fix: "give each skill a vocabulary/LIST.txt (see docs/skill-authors-guide.md)")
            }
            if pronunciations.unpronounceable.isEmpty {
                report.ok("voice grammar", "\(words) words, \(pronunciations.added.count) pronounced by eSpeak NG")
            } else {
                let names = pronunciations.unpronounceable.keys.sorted()
                report.warn(
                    "voice grammar", "no pronunciation for \(names.count) word(s): \(names.joined(separator: ", "))",
                    fix: "add them to Models/hark.dict as 'word PH O N E S' (CMU phones); sentences with them cannot be heard")
            }
        } catch {
            report.fail("voice grammar", "\(error)", fix: "run `hark skills lint`, then correct the skill named above")
        }
    }
}

/// The findings of one `hark doctor` run, printed one per line.
struct DoctorReport {
    private(set) var failures = 0
    private(set) var warnings = 0

    mutating func ok(_ what: String, _ detail: String) { print("ok    \(what): \(detail)") }

    mutating func warn(_ what: String, _ problem: String, fix: String) {
        warnings += 1
        print("warn  \(what): \(problem)\n      fix: \(fix)")
    }

    mutating func fail(_ what: String, _ problem: String, fix: String) {
        failures += 1
        print("FAIL  \(what): \(problem)\n      fix: \(fix)")
    }

    func printSummary() {
        print(failures == 0
            ? "Hark is ready (\(warnings) warning\(warnings == 1 ? "" : "s"))."
            : "\(failures) problem\(failures == 1 ? "" : "s") to fix, \(warnings) warning\(warnings == 1 ? "" : "s").")
    }
}

/// A Debian package Hark needs at run time, checked with dpkg-query.
struct DebianPackage {
    var name: String
    var purpose: String

    static let required = [
        DebianPackage(name: "libpocketsphinx3", purpose: "speech recognition library"),
        DebianPackage(name: "pocketsphinx-en-us", purpose: "the US English acoustic model and dictionary"),
        DebianPackage(name: "libespeak-ng1", purpose: "speech synthesis library"),
        DebianPackage(name: "espeak-ng-data", purpose: "eSpeak NG voices and phoneme data"),
        DebianPackage(name: "libasound2", purpose: "ALSA audio"),
    ]

    /// The installed version, or nil when dpkg does not list the package as installed.
    func installedVersion() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg-query")
        process.arguments = ["-W", "-f=${Status}\t${Version}", name]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = output.split(separator: "\t")
        guard process.terminationStatus == 0, parts.count == 2, parts[0].hasSuffix("installed") else { return nil }
        return String(parts[1])
    }
}

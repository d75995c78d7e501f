import HarkSpeech
import Testing

/// Well-formed grammars in the forms people write are accepted as they are by PocketSphinx.
@Suite struct JSGFAcceptanceTests {
    @Test func richGrammarsAreAccepted() async throws {
        let grammar = """
            #JSGF V1.0 UTF-8 en;
            /* Lights, with comments, weights, tags, optional parts and repeats. */
            grammar lights;
            // rules
            <state> = on | off;
            <room> = /2/ kitchen | /1.5/ bedroom {room} | living room;
            public <command> = [please] turn <state> the <room> (light | lights) [please]
                | good night
                | what's the time (now)*;
            """
        let recognizer = try Recognizer(grammar: .jsgf(grammar, name: "lights"))
        let audio = try await SpeechFixtures.clips.clip("please turn on the living room light")
        let transcript = try await recognizer.transcribe(audio)
        // The grammar is what is tested, not the ear: the plural differs from the singular by a final "s", and this
        // clip was heard as either depending on what eSpeak had synthesised before in the same process.
        #expect(
            ["please turn on the living room light", "please turn on the living room lights"].contains(transcript.text),
            "\(transcript)")
        // Optional parts become null transitions in PocketSphinx's graph; they must not show up as words.
        #expect(transcript.words.map(\.word) == transcript.text.split(separator: " ").map(String.init))
    }
}

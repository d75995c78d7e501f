import Foundation
import HarkSkillKit
import HarkUnderstanding
import Testing

/// The Alexa Skills Kit envelope and its mapping to and from Hark's SDK types.
@Suite struct AlexaEnvelopeTests {
    static let now = Date(timeIntervalSince1970: 1_767_261_600)

    static func json(_ value: some Encodable) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as! [String: Any]
    }

    @Test func anIntentRequestHasAlexasShape() throws {
        var slots = Slots(
            [
                "device": .text("Bedroom Lamp"), "n": .number(5), "when": .duration(seconds: 5400),
                "odd": .text("toaster"),
            ],
            spoken: ["device": "lamp", "odd": "toaster"], unresolved: ["odd"])
        slots["day"] = .date(DateRange(day: CalendarDay(year: 2026, month: 1, day: 2)))
        let request = SkillRequest(
            kind: .intent, intent: "Switch", slots: slots, utterance: "switch on the lamp",
            session: SessionInfo(id: "s1", isNew: false, attributes: ["k": "v"]), area: "Kitchen")
        let envelope = AlexaRequestEnvelope(
            request, skillID: "home", requestID: "r1", now: Self.now, declaredSlots: ["device", "extra"])
        let object = try Self.json(envelope)
        #expect(object["version"] as? String == "1.0")
        let session = try #require(object["session"] as? [String: Any])
        #expect(session["new"] as? Bool == false)
        #expect(session["sessionId"] as? String == "s1")
        #expect((session["attributes"] as? [String: Any])?["k"] as? String == "v")
        #expect((session["application"] as? [String: Any])?["applicationId"] as? String == "hark.skill.home")
        let system = try #require((object["context"] as? [String: Any])?["System"] as? [String: Any])
        #expect((system["device"] as? [String: Any])?["deviceId"] as? String == "hark.device.Kitchen")
        let body = try #require(object["request"] as? [String: Any])
        #expect(body["type"] as? String == "IntentRequest")
        #expect(body["timestamp"] as? String == "2026-01-01T10:00:00Z")
        #expect(body["locale"] as? String == "en-US")
        let intent = try #require(body["intent"] as? [String: Any])
        #expect(intent["name"] as? String == "Switch")
        let alexaSlots = try #require(intent["slots"] as? [String: [String: Any]])
        #expect(alexaSlots["device"]?["value"] as? String == "lamp")
        let authority = try #require(
            ((alexaSlots["device"]?["resolutions"] as? [String: Any])?["resolutionsPerAuthority"] as? [[String: Any]])?
                .first)
        #expect((authority["status"] as? [String: Any])?["code"] as? String == "ER_SUCCESS_MATCH")
        #expect(
            ((authority["values"] as? [[String: Any]])?.first?["value"] as? [String: Any])?["name"] as? String
                == "Bedroom Lamp")
        #expect(alexaSlots["n"]?["value"] as? String == "5")
        #expect(alexaSlots["when"]?["value"] as? String == "PT1H30M")
        #expect(alexaSlots["day"]?["value"] as? String == "2026-01-02")
        let odd = try #require(
            ((alexaSlots["odd"]?["resolutions"] as? [String: Any])?["resolutionsPerAuthority"] as? [[String: Any]])?
                .first)
        #expect((odd["status"] as? [String: Any])?["code"] as? String == "ER_SUCCESS_NO_MATCH")
        #expect(alexaSlots["extra"] != nil && alexaSlots["extra"]?["value"] == nil)  // declared, not said

        // And back: the same request.
        let back = try SkillRequest(
            alexa: JSONDecoder().decode(AlexaRequestEnvelope.self, from: JSONEncoder().encode(envelope)))
        #expect(back.slots.values == request.slots.values)
        #expect(back.slots.unresolved == ["odd"])
        #expect(back.session == request.session)
        #expect(back.area == "Kitchen")
        #expect(back.utterance == "switch on the lamp")
    }

    @Test(arguments: [
        ("Yes", "AMAZON.YesIntent"), ("No", "AMAZON.NoIntent"), ("Help", "AMAZON.HelpIntent"),
        ("Stop", "AMAZON.StopIntent"), ("Cancel", "AMAZON.CancelIntent"), ("Repeat", "AMAZON.RepeatIntent"),
    ])
    func builtinIntentsUseAmazonNames(hark: String, alexa: String) throws {
        let envelope = AlexaRequestEnvelope(
            SkillRequest(kind: .intent, intent: hark), skillID: "x", requestID: "r", now: Self.now)
        #expect(envelope.request.intent?.name == alexa)
        #expect(try SkillRequest(alexa: envelope).intent == hark)
    }

    @Test func launchAndSessionEnded() throws {
        let launch = AlexaRequestEnvelope(
            SkillRequest(kind: .intent, intent: "Launch"), skillID: "x", requestID: "r", now: Self.now)
        #expect(launch.request.type == "LaunchRequest")
        #expect(launch.request.intent == nil)
        let ended = AlexaRequestEnvelope(
            SkillRequest(kind: .sessionEnded(.userInitiated)), skillID: "x", requestID: "r", now: Self.now)
        #expect(ended.request.type == "SessionEndedRequest")
        #expect(ended.request.reason == "USER_INITIATED")
        #expect(try SkillRequest(alexa: ended).kind == .sessionEnded(.userInitiated))
    }

    @Test func anAlexaDocumentationRequestDecodes() throws {
        let text = """
            {"version":"1.0","session":{"new":true,"sessionId":"amzn1.echo-api.session.1","application":{"applicationId":"amzn1.ask.skill.1"},
             "attributes":{"key":"string value"},"user":{"userId":"amzn1.ask.account.1","accessToken":"Atza"}},
             "context":{"System":{"device":{"deviceId":"d","supportedInterfaces":{"AudioPlayer":{}}},"application":{"applicationId":"a"},
              "user":{"userId":"u"},"apiEndpoint":"https://api.amazonalexa.com"}},
             "request":{"type":"IntentRequest","requestId":"amzn1.echo-api.request.1","timestamp":"2026-01-01T10:00:00Z","locale":"en-US",
              "dialogState":"IN_PROGRESS",
              "intent":{"name":"OrderIntent","confirmationStatus":"CONFIRMED","slots":{
                "size":{"name":"size","value":"big","confirmationStatus":"NONE","resolutions":{"resolutionsPerAuthority":[
                  {"authority":"amzn1.er-authority.echo-sdk.x","status":{"code":"ER_SUCCESS_MATCH"},"values":[{"value":{"name":"large","id":"L"}}]}]}},
                "count":{"name":"count","value":"3"},
                "when":{"name":"when","value":"PT5M"}}}}}
            """
        let request = try SkillRequest(alexa: JSONDecoder().decode(AlexaRequestEnvelope.self, from: Data(text.utf8)))
        #expect(request.intent == "OrderIntent")
        #expect(request.confirmation == .confirmed)
        #expect(request.dialogState == .inProgress)
        #expect(request.slots.text("size") == "large")
        #expect(request.slots.spoken["size"] == "big")
        #expect(request.slots.integer("count") == 3)
        #expect(request.slots.duration("when") == 300)
        #expect(request.session.attributes["key"] == "string value")
    }

    @Test func responsesMapBothWays() throws {
        let text = """
            {"version":"1.0","sessionAttributes":{"color":"red"},"response":{
              "outputSpeech":{"type":"SSML","ssml":"<speak>Which <emphasis>size</emphasis>?</speak>"},
              "reprompt":{"outputSpeech":{"type":"SSML","ssml":"<speak>Small or large?</speak>"}},
              "card":{"type":"Simple","title":"ignored"},
              "directives":[{"type":"Dialog.ElicitSlot","slotToElicit":"size","updatedIntent":{"name":"OrderIntent","confirmationStatus":"NONE",
                "slots":{"count":{"name":"count","value":"2","confirmationStatus":"NONE"}}}}]}}
            """
        let response = try JSONDecoder().decode(AlexaResponseEnvelope.self, from: Data(text.utf8)).skillResponse()
        #expect(response.isSSML)
        #expect(response.speech == "<speak>Which <emphasis>size</emphasis>?</speak>")
        #expect(response.reprompt == "Small or large?")
        #expect(response.directive == .elicitSlot("size"))
        #expect(response.updatedSlots?.number("count") == 2)
        #expect(response.sessionAttributes == ["color": "red"])
        #expect(!response.endSession)

        let plain = try JSONDecoder().decode(
            AlexaResponseEnvelope.self,
            from: Data(#"{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Bye"}}}"#.utf8)
        ).skillResponse()
        #expect(plain.endSession)  // no shouldEndSession: ends, as on a device without a screen
        #expect(plain.speech == "Bye")

        // What ASK SDKs make of speak("…"): a bare <speak> wrapper is plain text.
        let wrapped = try JSONDecoder().decode(
            AlexaResponseEnvelope.self,
            from: Data(
                #"{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Fish &amp; chips</speak>"}}}"#
                    .utf8)
        ).skillResponse()
        #expect(wrapped.speech == "Fish & chips")
        #expect(!wrapped.isSSML)

        let harkResponse = SkillResponse.speak("What size?").reprompt("Size?").confirmSlot(
            "size", keeping: Slots(["size": .text("large")]))
        let envelope = AlexaResponseEnvelope(harkResponse, intent: "Order", requestID: "r", sessionID: "s")
        let object = try Self.json(envelope)
        let body = try #require(object["response"] as? [String: Any])
        #expect(body["shouldEndSession"] as? Bool == false)
        let directive = try #require((body["directives"] as? [[String: Any]])?.first)
        #expect(directive["type"] as? String == "Dialog.ConfirmSlot")
        #expect(directive["slotToConfirm"] as? String == "size")
        #expect(try envelope.skillResponse() == harkResponse)
    }

    @Test func invokeIntentDirectives() throws {
        let text = """
            {"version":"1.0","response":{"directives":[{"type":"Hark.InvokeIntent","skill":"shopping","intent":"AddItem",
              "slots":{"item":"milk","count":2,"items":["eggs","bread"]}}]}}
            """
        let calls = try JSONDecoder().decode(AlexaResponseEnvelope.self, from: Data(text.utf8)).invocations
        #expect(calls.count == 1)
        #expect(calls[0].skill == "shopping")
        #expect(calls[0].intent == "AddItem")
        #expect(calls[0].slots.text("item") == "milk")
        #expect(calls[0].slots.number("count") == 2)
        #expect(calls[0].slots.texts("items") == ["eggs", "bread"])
        let broken = #"{"version":"1.0","response":{"directives":[{"type":"Hark.InvokeIntent","skill":"shopping"}]}}"#
        #expect(throws: SkillError.self) {
            _ = try JSONDecoder().decode(AlexaResponseEnvelope.self, from: Data(broken.utf8)).invocations
        }
    }

    @Test func isoDurations() {
        #expect(AlexaMapping.isoDuration(5400) == "PT1H30M")
        #expect(AlexaMapping.isoDuration(0) == "PT0S")
        #expect(AlexaMapping.isoDuration(90_061) == "P1DT1H1M1S")
        #expect(AlexaMapping.seconds(isoDuration: "PT1H30M") == 5400)
        #expect(AlexaMapping.seconds(isoDuration: "P2D") == 172_800)
        #expect(AlexaMapping.seconds(isoDuration: "PX") == nil)
    }
}

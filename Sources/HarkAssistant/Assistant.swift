import Foundation
import HarkSkillKit
import HarkUnderstanding
import Logging

/// Settings of the dialog manager.
public struct AssistantOptions: Sendable {
    /// A session idle longer than this starts over (seconds).
    public var sessionTimeout: TimeInterval = 600
    /// A complete match scoring below this is confirmed with "Did you mean …?" before it runs. Words a
    /// wildcard took count half (the matcher's weights), so a long free-text list ("add milk, eggs, bread and
    /// jam") stays above it; what falls below explains little of the sentence with the template's own words.
    public var weakMatchScore: Double = 0.5
    /// A near miss scoring at least this (with nothing missing) is offered as "Did you mean …?".
    public var nearMissOfferScore: Double = 0.75
    /// Requests no template matches go to the statistical fallback (``IntentClassifier``).
    public var statisticalFallback = true
    /// A statistical reading at least this probable, with no word the skills know that is not the intent's own, is
    /// acted on; a less certain one is asked back ("Did you mean …?").
    public var fallbackActProbability = 0.9
    /// …and at least this share of the request's telling words the intent's own (``IntentClassifier/Guess/coverage``).
    public var fallbackActCoverage = 0.5
    /// Below this probability, or with fewer than half the telling words the intent's own, a statistical reading
    /// is not offered at all: Hark says what it did not understand.
    public var fallbackOfferProbability = 0.5
    /// Where the trained classifier is kept between runs (nil: trained in memory, once per process and skill set).
    public var cacheDirectory: String? = nil
    /// The clock skills and date slots use.
    public var clock: any SkillClock = SystemClock()
    /// How reply wordings are chosen.
    public var variation: ResponseTemplates.Variation = .random
    /// Per-skill settings from the configuration.
    public var skillSettings: [String: [String: JSONValue]] = [:]
    /// Root of the skills' private data folders.
    public var dataDirectory: String
    /// The logger for dialog events and skill failures.
    public var logger = Logger(label: "hark.dialog")
    /// Sessions idle longer than this (seconds) are deleted (`session_retention_days`, 30 by default); nil keeps them.
    public var sessionRetention: TimeInterval? = 30 * 86_400
    /// The skills whose briefing lines ("good morning") come first, in this order; the others follow by id.
    public var briefingOrder = ["weather", "clock", "shopping"]

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }
}

/// Hark's brain for everything after the words are known: understands an utterance against every
/// skill's sentences, keeps the conversation's state, handles the built-in intents (stop, cancel, help,
/// yes, no, repeat), asks for missing slots and confirmations, and calls the skill.
///
/// One actor serves every session; sessions live in the database, so successive processes continue a
/// conversation (`hark ask --session ID`).
public actor Assistant {
    /// The id of Hark's own built-in intents.
    public static let builtinSkillID = "hark"
    /// Hark's intents that only answer a question ("yes", "no"): outside a conversation they mean nothing.
    public static let answerIntents: Set<String> = ["hark/Yes", "hark/No"]

    let skills: [String: InstalledSkill]
    let hark: SkillPackage
    let engine: IntentEngine
    let sessions: SessionStore
    let database: HarkDatabase
    let options: AssistantOptions
    /// Small engines that read a bare answer ("milk", "tomorrow") as one slot's value, by skill and slot.
    private var slotReaders: [String: IntentEngine] = [:]
    /// The statistical fallback, trained (or read from the cache) the first time a request needs it.
    private var classifier: IntentClassifier?
    /// When old sessions were last deleted.
    private var lastPurge: Date?

    /// Compiles every skill's templates (and the built-in intents) into one engine.
    public init(skills: [InstalledSkill], database: HarkDatabase, options: AssistantOptions) throws {
        var byID: [String: InstalledSkill] = [:]
        for skill in skills {
            guard byID[skill.id] == nil, skill.id != Self.builtinSkillID else {
                throw SkillError.invalid("\(skill.package.folder): skill id '\(skill.id)' is already installed")
            }
            byID[skill.id] = skill
        }
        self.skills = byID
        hark = try BuiltinIntents.package(variation: options.variation)
        engine = try IntentEngine(skills: [hark.templates] + skills.map(\.package.templates))
        sessions = SessionStore(database: database)
        self.database = database
        self.options = options
    }

    /// The installed skills, by id.
    public var installedSkills: [InstalledSkill] { skills.values.sorted { $0.id < $1.id } }

    /// Releases the skills' resources (HTTP clients, processes); call once when Hark stops.
    public func shutdown() async {
        for skill in skills.values.sorted(by: { $0.id < $1.id }) {
            guard let stoppable = skill.handler as? any StoppableSkill else { continue }
            do {
                try await stoppable.shutdown()
            } catch {
                options.logger.warning("skill \(skill.id) did not shut down cleanly: \(error)")
            }
        }
    }

    /// Runs `body` with an installed skill's handler and the context it answers requests in: for events that are not
    /// requests (a Dash button's press), which the runtime hands to the skill they belong to.
    /// - Throws: ``SkillError/unknownSkill(_:)`` when no skill `id` is installed, or what `body` throws.
    public func withSkill<Value: Sendable>(
        _ id: String, _ body: @Sendable (any Skill, SkillContext) async throws -> Value
    ) async throws -> Value {
        guard let skill = skills[id] else { throw SkillError.unknownSkill(id) }
        return try await body(skill.handler, context(for: skill))
    }

    /// The compiled matcher (for exports: grammar, vocabulary, samples, collisions).
    public nonisolated var intentEngine: IntentEngine { engine }

    /// Answers one utterance. Never throws: every failure becomes a spoken reply and a log line.
    /// - Parameter misheard: the words may not be what was said (the speech recognizer doubted them): a new
    ///   request is then confirmed with "Did you mean …?" before it runs, however well it matches.
    public func respond(
        to text: String, sessionID: String? = nil, area: String? = nil, misheard: Bool = false
    ) async -> AssistantReply {
        let started = ContinuousClock.now
        let now = options.clock.now
        let id = sessionID ?? UUID().uuidString.lowercased()
        var session = await loadSession(id: id, now: now)
        var turn = Turn(text: text, area: area, session: session, now: now)
        turn.misheard = misheard

        let understandStart = ContinuousClock.now
        let context = MatchContext(area.map { ["area": $0] } ?? [:], now: now, calendar: options.clock.calendar)
        var result = engine.match(text, context: context)
        // "olly, how do i make lobster bisque", "hey alexa turn off the fan": a name said before the request.
        if result.best.map({ $0.score < options.weakMatchScore }) ?? true,
            let request = Self.withoutAddress(result.words, engine: engine)
        {
            let again = engine.match(request, context: context)
            if let best = again.best, best.score >= options.weakMatchScore { result = again }
        }
        turn.timings["understand"] = Self.milliseconds(since: understandStart)
        turn.result = result

        let askedBefore = session.isOpen ? session.pending : nil
        let notices = await dueNotices()
        await decide(&turn, result: result)
        let secret = sensitiveLabel(of: turn, askedBefore: askedBefore)
        if let secret { redact(&turn, label: secret) }
        await offerIfAny(&turn)

        session = turn.session
        session.updatedAt = now
        session.lastReply = turn.reply.isEmpty ? session.lastReply : turn.reply
        Self.prepend(notices, to: &turn)
        session.record(
            DialogSession.Turn(at: now, user: turn.text, skill: turn.skill, intent: turn.intent, reply: turn.reply))
        await purgeSessionsIfDue(now: now)
        do {
            try await sessions.save(session)
        } catch {
            options.logger.error("session \(id) not saved: \(error)")
        }
        turn.timings["total"] = Self.milliseconds(since: started)
        let dialogMs = turn.timings["total"]! - (turn.timings["understand"] ?? 0) - (turn.timings["skill"] ?? 0)
        turn.timings["dialog"] = max(0, dialogMs)
        var reply = turn.makeReply(sessionID: id)
        reply.redaction = secret.map { "[\($0)]" }
        return reply
    }

    // MARK: - Notices

    /// What the skills that keep news (``NoticingSkill``: a timer that went off) have to say before this reply.
    private func dueNotices() async -> [String] {
        await collect("notices") { (skill: any NoticingSkill, context) in try await skill.dueNotices(context: context) }
    }

    /// What must ring now (``AlertingSkill``: a timer or alarm that went off), taken from the skills; the listening
    /// loop asks about once a second.
    public func dueAlerts() async -> [SkillAlert] {
        await collect("alerts") { (skill: any AlertingSkill, context) in try await skill.dueAlerts(context: context) }
    }

    /// Asks every skill of kind `Kind`, in id order (those named in `first` before the others, in that order); a skill
    /// that throws is logged and skipped.
    private func collect<Kind: Sendable, Item>(
        _ what: String, first: [String] = [], _ ask: (Kind, SkillContext) async throws -> [Item]
    ) async -> [Item] {
        var items: [Item] = []
        let rank = { (id: String) in first.firstIndex(of: id) ?? first.count }
        for skill in skills.values.sorted(by: { (rank($0.id), $0.id) < (rank($1.id), $1.id) }) {
            guard let handler = skill.handler as? Kind else { continue }
            do {
                items += try await ask(handler, context(for: skill))
            } catch {
                options.logger.warning("skill \(skill.id) could not give its \(what): \(error)")
            }
        }
        return items
    }

    // MARK: - Offers and the briefing

    /// After a reply that leaves no question open, the first offer of a skill that makes them (``OfferingSkill``: the
    /// shopping skill's most overdue item, once a day) is put after the reply as a yes/no question on the skill's
    /// intent, asked as the skill's own confirmation: "yes" runs it confirmed, "no" denied, a new request drops it.
    private func offerIfAny(_ turn: inout Turn) async {
        guard !turn.session.isOpen, turn.skillError == nil, !turn.fallback, !turn.isSSML, !turn.reply.isEmpty,
            !["Stop", "Cancel", "Repeat"].contains(turn.intent ?? "")
        else { return }
        for skill in skills.values.sorted(by: { $0.id < $1.id }) {
            guard let handler = skill.handler as? any OfferingSkill else { continue }
            let offer: SkillOffer?
            do {
                offer = try await handler.offer(context: context(for: skill))
            } catch {
                options.logger.warning("skill \(skill.id) could not give its offer: \(error)")
                continue
            }
            guard let offer else { continue }
            let call = IntentCall(skill: skill.id, intent: offer.intent, slots: offer.slots)
            turn.session.pending = .confirmIntent(call, bySkill: true)
            turn.session.activeSkill = skill.id
            turn.session.attributes = [:]
            turn.session.isOpen = true
            turn.session.lastReprompt = offer.speech
            turn.reply += " " + offer.speech
            return
        }
    }

    /// "Good morning": each ``BriefingSkill``'s line for today, in ``AssistantOptions/briefingOrder``.
    private func brief(_ turn: inout Turn) async {
        turn.intent = "Briefing"
        let lines = await collect("briefing", first: options.briefingOrder) { (skill: any BriefingSkill, context) in
            try await skill.briefing(context: context).map { [$0] } ?? []
        }
        if lines.isEmpty {
            say(&turn, hark: "briefing_empty")
        } else {
            say(&turn, hark: "briefing", ["lines": lines.joined(separator: " ")])
        }
    }

    /// Puts `notices` in front of the turn's reply (inside `<speak>` when it is SSML); "repeat" repeats the reply
    /// without them.
    static func prepend(_ notices: [String], to turn: inout Turn) {
        guard !notices.isEmpty else { return }
        let said = notices.joined(separator: " ")
        if turn.isSSML, let open = turn.reply.range(of: "<speak>") {
            let escaped = said.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            turn.reply.insert(contentsOf: escaped + " ", at: open.upperBound)
        } else {
            turn.reply = turn.reply.isEmpty ? said : said + " " + turn.reply
        }
    }

    // MARK: - Secrets and retention

    /// The label of a slot a skill marks `sensitive: true` that this turn's words filled ("purchase code"):
    /// the answer to a question for that slot, or a sentence that matched it.
    private func sensitiveLabel(of turn: Turn, askedBefore pending: PendingQuestion?) -> String? {
        func label(_ skill: String?, _ slot: String) -> String? {
            skill.flatMap { skills[$0]?.package.manifest.sensitiveSlots[slot] }
        }
        if case .elicitSlot(let call, let slot)? = pending, let found = label(call.skill, slot) { return found }
        if let found = turn.slots.keys.lazy.compactMap({ label(turn.skill, $0) }).first { return found }
        guard let best = turn.result?.best else { return nil }
        return best.slots.keys.lazy.compactMap { label(best.skill, $0) }.first
    }

    /// Replaces what the user said, and the sensitive slots' values, with `[label]`: the words are not kept
    /// in the session's history, returned, printed or logged.
    private func redact(_ turn: inout Turn, label: String) {
        turn.text = "[\(label)]"
        let secret = turn.skill.flatMap { skills[$0]?.package.manifest.sensitiveSlots } ?? [:]
        for (name, label) in secret where turn.slots[name] != nil { turn.slots[name] = .text("[\(label)]") }
    }

    /// Deletes sessions idle longer than ``AssistantOptions/sessionRetention``, at most once an hour.
    private func purgeSessionsIfDue(now: Date) async {
        guard let retention = options.sessionRetention else { return }
        if let last = lastPurge, now.timeIntervalSince(last) < 3600, now >= last { return }
        lastPurge = now
        do {
            let removed = try await sessions.purge(idleSince: now.addingTimeInterval(-retention))
            if removed > 0 { options.logger.info("deleted \(removed) sessions idle for more than \(Int(retention / 86_400)) days") }
        } catch {
            options.logger.warning("old sessions not deleted: \(error)")
        }
    }

    // MARK: - Deciding what to do with one utterance

    /// The working state of one turn.
    struct Turn {
        var text: String
        var area: String?
        var session: DialogSession
        var now: Date
        var result: MatchResult?
        var skill: String?
        var intent: String?
        var slots: [String: SlotValue] = [:]
        var reply = ""
        var isSSML = false
        var confidence = 0.0
        var fallback = false
        /// The recognizer doubted the words: confirm a new request before running it.
        var misheard = false
        var data: [String: JSONValue] = [:]
        var timings: [String: Double] = [:]
        /// What the skill's handler threw, if it did.
        var skillError: (any Error)?

        init(text: String, area: String?, session: DialogSession, now: Date) {
            self.text = text
            self.area = area
            self.session = session
            self.now = now
        }

        func makeReply(sessionID: String) -> AssistantReply {
            let alternatives = (result?.alternatives ?? []).map {
                AssistantReply.Alternative(skill: $0.skill, intent: $0.intent, score: $0.score)
            }
            var awaitedSlot: String?
            if session.isOpen, case .elicitSlot(_, let slot)? = session.pending { awaitedSlot = slot }
            let question = session.isOpen ? session.pending.map { "\($0.call.skill)/\($0.call.intent)" } : nil
            return AssistantReply(
                text: text, sessionID: sessionID, skill: skill, intent: intent, slots: slots, reply: reply,
                isSSML: isSSML, reprompt: session.isOpen ? session.lastReprompt : nil, endSession: !session.isOpen,
                confidence: confidence, alternatives: alternatives, fallback: fallback, data: data, timings: timings,
                awaitedSlot: awaitedSlot, questionIntent: question,
                questionSlots: question == nil ? [:] : session.pending?.call.slots ?? [:], skillError: skillError)
        }
    }

    private func decide(_ turn: inout Turn, result: MatchResult) async {
        let best = result.best
        turn.confidence = best?.score ?? result.nearest?.score ?? 0

        // Nothing usable was said at all.
        if result.words.isEmpty {
            say(&turn, hark: "nothing_heard")
            turn.fallback = true
            return
        }

        // Built-ins that mean the same in every state.
        if let best, best.skill == Self.builtinSkillID {
            switch best.intent {
            case "Stop", "Cancel":
                await endConversation(&turn, reason: .userInitiated)
                turn.intent = best.intent
                say(&turn, hark: best.intent == "Stop" ? "stopped" : "cancelled")
                return
            case "Briefing":
                await endConversation(&turn, reason: .userInitiated)
                await brief(&turn)
                return
            case "Repeat":
                turn.intent = "Repeat"
                if let last = turn.session.lastReply {
                    turn.reply = last
                } else {
                    say(&turn, hark: "nothing_to_repeat")
                }
                return
            case "Help":
                turn.intent = "Help"
                if let active = turn.session.activeSkill, let skill = skills[active],
                    skill.package.templates.intents.contains(where: { $0.name == "Help" })
                {
                    await run(&turn, IntentCall(skill: active, intent: "Help"))
                } else {
                    say(&turn, hark: "help", ["examples": helpExamples()])
                    turn.session.isOpen = true
                    turn.session.lastReprompt = try? hark.responses.render("rejected_guess")
                }
                return
            default: break
            }
        }

        // An answer to a question Hark or the skill asked.
        if let pending = turn.session.pending {
            if await answer(&turn, pending: pending, result: result) { return }
        }

        if let best, best.skill == Self.builtinSkillID {
            // Yes or no with no question pending: the open skill hears it (it may have offered something).
            if let active = turn.session.activeSkill, turn.session.isOpen {
                await run(&turn, IntentCall(skill: active, intent: best.intent))
            } else {
                turn.intent = best.intent
                say(&turn, hark: "nothing_to_confirm")
            }
            return
        }

        if let best {
            let call = IntentCall(skill: best.skill, intent: best.intent, slots: best.slots, spoken: best.rawSlots)
            turn.confidence = best.score
            let contested = result.isAmbiguous && result.alternatives.first.map { $0.skill != best.skill } == true
            // A weak template match ("i need {item}" over "i need some ideas for dinner that are mexican") yields to
            // a statistical reading of another intent that is at least as likely; when the two readings agree, the
            // classifier's confidence decides between acting and asking back ("please lower the lights a little bit").
            if best.score < options.weakMatchScore, !turn.misheard, let reading = statisticalReading(turn, result: result),
                !contested || !reading.names(best)
            {
                await follow(&turn, reading.names(best) ? reading.reading(best) : reading)
                return
            }
            if best.score < options.weakMatchScore || contested || turn.misheard {
                offer(&turn, call, sentence: best.matchedText)
            } else {
                await proceed(&turn, call)
            }
            return
        }

        // No complete match: a near miss whose only problem is an unknown slot value goes to the skill,
        // which can say what it does know ("I don't know a device called …"), when more than one word of the request
        // is its sentence's own: a verb and an unknown word ("disable shuffle", "stop the music") do not say
        // which skill is meant.
        let reading = statisticalReading(turn, result: result)
        if let near = result.nearest, near.missingParts.isEmpty, !near.unresolvedSlots.isEmpty,
            near.literalWords >= Self.unknownValueEvidence,
            near.skill != Self.builtinSkillID, Self.onlyUnresolvedWordsUnmatched(near),
            !near.unresolvedSlots.values.contains(where: { PhraseShape.isClause(TextNormalizer.words($0)) }),
            statisticalGuesses(result.text).map({ Self.classifierAgrees(with: near, $0) }) ?? true
        {
            var call = IntentCall(skill: near.skill, intent: near.intent, slots: near.slots, spoken: near.rawSlots)
            for (slot, words) in near.unresolvedSlots {
                call.slots[slot] = .text(words)
                call.spoken[slot] = words
                call.unresolved.insert(slot)
            }
            turn.confidence = near.score
            await proceed(&turn, call)
            return
        }
        if let near = result.nearest, near.score >= options.nearMissOfferScore, near.missingParts.isEmpty,
            near.unresolvedSlots.isEmpty, near.skill != Self.builtinSkillID
        {
            // Two readings that agree (the closest template and the classifier): the classifier's confidence decides
            // between acting and asking back ("list the items on my shopping list olly").
            if let reading, reading.names(near) {
                await follow(&turn, reading.reading(near))
                return
            }
            offer(
                &turn, IntentCall(skill: near.skill, intent: near.intent, slots: near.slots, spoken: near.rawSlots),
                sentence: near.matchedText)
            return
        }
        if let reading {
            await follow(&turn, reading)
            return
        }
        notUnderstood(&turn, result: result)
    }

    /// What the statistical fallback proposes for a request the templates did not settle.
    struct StatisticalReading {
        var call: IntentCall
        var guess: IntentClassifier.Guess
        /// The intent's closest sentence said plainly with the slots read, for "Did you mean …?".
        var sentence: String
        /// True when the request says every telling part of the intent's closest sentence (``saysEveryPart(_:)``): a
        /// word the skills do not know may stand in for a missing part ("lower the volume" for "lower the lights"),
        /// so a reading that misses one is asked back, not acted on.
        var complete: Bool

        /// True when every part `match` misses is a function word ("the", "is") or the context a sentence needs
        /// (`context area`: not a spoken part): the request says what the sentence is about.
        static func saysEveryPart(_ match: IntentMatch) -> Bool {
            match.missingParts.allSatisfy { part in
                part.hasPrefix("context ")
                    || TextNormalizer.words(part).allSatisfy { PhraseShape.functionWords.contains($0) }
            }
        }

        /// True when `match` is the same skill's same intent.
        func names(_ match: IntentMatch) -> Bool { call.skill == match.skill && call.intent == match.intent }

        /// This reading with the slots `match` read (the template that agrees with the classifier places a
        /// wildcard better than the intent's closest sentence does), wildcard values that read as a clause left out.
        func reading(_ match: IntentMatch) -> StatisticalReading {
            var agreed = IntentCall(skill: match.skill, intent: match.intent)
            for (slot, value) in match.slots {
                let spoken = match.rawSlots[slot]
                if let spoken, match.wildcardSlots.contains(slot), PhraseShape.isClause(TextNormalizer.words(spoken)) {
                    continue
                }
                agreed.slots[slot] = value
                agreed.spoken[slot] = spoken
            }
            return StatisticalReading(
                call: agreed, guess: guess, sentence: match.matchedText, complete: Self.saysEveryPart(match))
        }
    }

    /// The classifier's most likely intent, when it is likely enough and the request's telling words are mostly the
    /// intent's own; its slots are read by the intent's own sentences (their lists and built-in types), leaving out
    /// words that read as a clause where a name belongs.
    private func statisticalReading(_ turn: Turn, result: MatchResult) -> StatisticalReading? {
        guard !result.words.isEmpty, let top = statisticalGuesses(result.text)?.first, !top.label.isOutOfScope,
            top.probability >= options.fallbackOfferProbability, top.coverage >= 0.5, skills[top.label.skill] != nil
        else { return nil }
        let context = MatchContext(turn.area.map { ["area": $0] } ?? [:], now: turn.now, calendar: options.clock.calendar)
        let near = engine.nearest(result.text, skill: top.label.skill, intent: top.label.intent, context: context)
        var call = IntentCall(skill: top.label.skill, intent: top.label.intent)
        for (slot, value) in near?.slots ?? [:] {
            let spoken = near?.rawSlots[slot]
            if let spoken, near?.wildcardSlots.contains(slot) == true,
                PhraseShape.isClause(TextNormalizer.words(spoken)) || classifier?.isForeign(spoken) == false
            {
                continue
            }
            call.slots[slot] = value
            call.spoken[slot] = spoken
        }
        // A name the lists do not know goes to the skill as said, like a near miss's ("turn the lights off in the
        // bathroom": no room called bathroom, not every light in the house). A name made only of words the skills
        // use ("the room light") leaves the reading incomplete: asked back, never acted on without it. Words with a
        // function word among them are no name, just words left over ("to", "what s").
        var saysAll = near.map(StatisticalReading.saysEveryPart) ?? false
        for (slot, words) in near?.unresolvedSlots ?? [:] where call.slots[slot] == nil {
            let said = TextNormalizer.words(words)
            guard !said.contains(where: { PhraseShape.functionWords.contains($0) }) else { continue }
            guard said.contains(where: { !engine.knows($0) }) else {
                saysAll = false
                continue
            }
            call.slots[slot] = .text(words)
            call.spoken[slot] = words
            call.unresolved.insert(slot)
        }
        if !call.unresolved.isEmpty, (near?.literalWords ?? 0) < Self.unknownValueEvidence { saysAll = false }
        // A sentence for where the request came from ("in the room") with no such place known and words left over
        // ("in the guest room"): the place said is not understood, so the reading is asked back, not acted on
        // everywhere.
        if let near, near.missingParts.contains(where: { $0.hasPrefix("context ") }),
            near.unmatchedWords.contains(where: { !PhraseShape.functionWords.contains($0) })
        {
            saysAll = false
        }
        let sentence = near.map { engine.plainSentence(for: $0, spoken: call.spoken) } ?? ""
        return StatisticalReading(
            call: call, guess: top, sentence: sentence.isEmpty ? describe(call) : sentence, complete: saysAll)
    }

    /// The classifier's guesses for `text`, most likely first; nil when the fallback is off.
    private func statisticalGuesses(_ text: String) -> [IntentClassifier.Guess]? {
        guard options.statisticalFallback else { return nil }
        if classifier == nil {
            classifier = IntentClassifier.load(engine: engine, cacheDirectory: options.cacheDirectory)
        }
        return classifier?.classify(text)
    }

    /// Acts on a statistical reading when it is certain (and the recognizer did not doubt the words), else asks "Did
    /// you mean …?".
    private func follow(_ turn: inout Turn, _ reading: StatisticalReading) async {
        turn.confidence = reading.guess.probability
        let guess = reading.guess
        if guess.probability >= options.fallbackActProbability, guess.coverage >= options.fallbackActCoverage,
            guess.onlyOwnKnownWords, reading.complete, !turn.misheard
        {
            await proceed(&turn, reading.call)
        } else {
            offer(&turn, reading.call, sentence: reading.sentence)
        }
    }

    /// The request after a form of address: a leading word no skill uses, after any function words ("olly, …",
    /// "hey alexa, …"); nil when the request does not start so, or nothing would be left.
    static func withoutAddress(_ words: [String], engine: IntentEngine) -> String? {
        guard let name = words.firstIndex(where: { !PhraseShape.functionWords.contains($0) }), name + 1 < words.count,
            !engine.knows(words[name])
        else { return nil }
        return words[(name + 1)...].joined(separator: " ")
    }

    /// How many of a request's words must be its sentence's own before an unknown value in it reaches the skill
    /// (acted on): "turn wemo on" says two, "disable shuffle" one.
    static let unknownValueEvidence = 2

    /// True when the classifier's most likely reading is the near miss's intent: an unknown device ("turn on the
    /// garden heater") goes to the skill, "what is three times seven" does not go to recipes as a course.
    static func classifierAgrees(with near: IntentMatch, _ guesses: [IntentClassifier.Guess]) -> Bool {
        guesses.first.map { $0.label.skill == near.skill && $0.label.intent == near.intent } ?? true
    }

    /// True when every word the near miss left unexplained belongs to one of its unknown slot values.
    static func onlyUnresolvedWordsUnmatched(_ near: IntentMatch) -> Bool {
        var unresolvedWords: [String: Int] = [:]
        for words in near.unresolvedSlots.values {
            for word in words.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }) {
                unresolvedWords[String(word), default: 0] += 1
            }
        }
        for word in near.unmatchedWords {
            guard let count = unresolvedWords[word], count > 0 else { return false }
            unresolvedWords[word] = count - 1
        }
        return true
    }

    /// Handles an utterance while a question is pending; returns false when the utterance is a new request
    /// instead (the pending question is then dropped).
    private func answer(_ turn: inout Turn, pending: PendingQuestion, result: MatchResult) async -> Bool {
        let best = result.best
        let saysYes = best?.skill == Self.builtinSkillID && best?.intent == "Yes"
        let saysNo = best?.skill == Self.builtinSkillID && best?.intent == "No"
        let isNewRequest = best.map { $0.skill != Self.builtinSkillID && $0.score >= options.weakMatchScore } ?? false

        switch pending {
        case .elicitSlot(var call, let slot):
            if let best, best.skill == call.skill, best.intent == call.intent {
                // The user repeated the whole request, now with the slot.
                call.slots.merge(best.slots) { _, new in new }
                call.spoken.merge(best.rawSlots) { _, new in new }
            } else if let (value, spoken) = readSlot(result.text, skill: call.skill, slot: slot, turn: turn) {
                call.slots[slot] = value
                call.spoken[slot] = spoken
                call.unresolved.remove(slot)
            } else if isNewRequest {
                turn.session.pending = nil
                return false
            } else {
                let prompt = turn.session.lastReprompt ?? slotPrompt(call, slot: slot)
                say(&turn, hark: "still_need", ["slot": slot, "prompt": prompt])
                turn.skill = call.skill
                turn.intent = call.intent
                turn.fallback = true
                return true
            }
            turn.session.pending = nil
            await proceed(&turn, call)
            return true

        case .confirmIntent(var call, let bySkill):
            if saysYes || saysNo {
                turn.session.pending = nil
                call.confirmation = saysYes ? .confirmed : .denied
                if saysNo && !bySkill {
                    turn.session.close()
                    turn.skill = call.skill
                    turn.intent = call.intent
                    say(&turn, hark: "denied")
                    return true
                }
                await proceed(&turn, call)
                return true
            }

        case .confirmSlot(var call, let slot):
            if saysYes || saysNo {
                turn.session.pending = nil
                call.slotConfirmations[slot] = saysYes ? .confirmed : .denied
                await proceed(&turn, call)
                return true
            }

        case .didYouMean(let call):
            if saysYes {
                turn.session.pending = nil
                await proceed(&turn, call)
                return true
            }
            if saysNo {
                turn.session.pending = nil
                turn.session.isOpen = true
                say(&turn, hark: "rejected_guess")
                turn.session.lastReprompt = turn.reply
                return true
            }
        }

        if isNewRequest {
            turn.session.pending = nil
            return false
        }
        // Neither yes, no, nor a new request: ask again.
        let question = turn.session.lastReprompt ?? turn.session.lastReply ?? ""
        say(&turn, hark: "yes_or_no", ["question": question])
        turn.fallback = true
        return true
    }

    /// Applies the manifest's dialog rules (required slots, confirmation), then calls the skill.
    private func proceed(_ turn: inout Turn, _ call: IntentCall) async {
        guard let skill = skills[call.skill] else {
            say(&turn, hark: "not_understood")
            return
        }
        let rules = skill.package.manifest.intents[call.intent] ?? SkillManifest.IntentRules()
        if let missing = rules.required.first(where: { call.slots[$0] == nil }) {
            elicit(&turn, call, slot: missing, prompt: slotPrompt(call, slot: missing))
            return
        }
        if rules.confirm && call.confirmation == .none {
            let sentence = describe(call)
            let question =
                (try? skill.package.responses.render("confirm_\(call.intent)", spokenValues(call)))
                ?? render(hark, "confirm_intent", ["sentence": sentence])
            turn.session.pending = .confirmIntent(call, bySkill: false)
            open(&turn, call, speech: question, reprompt: question)
            return
        }
        await run(&turn, call)
    }

    /// Calls the skill and applies its response and directives.
    private func run(_ turn: inout Turn, _ call: IntentCall, depth: Int = 0) async {
        guard let skill = skills[call.skill] else { return }
        let isContinuing = turn.session.activeSkill == call.skill && turn.session.isOpen
        let request = SkillRequest(
            kind: .intent, intent: call.intent, slots: call.skillSlots, utterance: turn.text,
            session: SessionInfo(
                id: turn.session.id, isNew: !isContinuing, attributes: isContinuing ? turn.session.attributes : [:]),
            confirmation: call.confirmation, slotConfirmations: call.slotConfirmations,
            dialogState: depth > 0 ? .completed : (isContinuing ? .inProgress : .started), area: turn.area)
        let skillStart = ContinuousClock.now
        let response: SkillResponse
        do {
            response = try await skill.handler.handle(request, context: context(for: skill))
        } catch {
            options.logger.error("skill \(skill.id) failed on \(call.intent): \(error)")
            turn.timings["skill", default: 0] += Self.milliseconds(since: skillStart)
            turn.skillError = error
            turn.session.close()
            turn.skill = skill.id
            turn.intent = call.intent
            say(&turn, hark: "skill_failed", ["skill": skill.package.manifest.name])
            return
        }
        turn.timings["skill", default: 0] += Self.milliseconds(since: skillStart)

        var next = call
        if let updated = response.updatedSlots {
            next.slots = updated.values
            next.spoken = updated.spoken
        }
        turn.skill = skill.id
        turn.intent = call.intent
        turn.slots = next.slots
        turn.data.merge(response.data) { _, new in new }
        turn.session.activeSkill = skill.id
        if let attributes = response.sessionAttributes { turn.session.attributes = attributes }

        switch response.directive {
        case .elicitSlot(let slot):
            elicit(
                &turn, next, slot: slot, prompt: response.speech.isEmpty ? slotPrompt(next, slot: slot) : response.speech,
                reprompt: response.reprompt, isSSML: response.isSSML)
        case .confirmSlot(let slot):
            turn.session.pending = .confirmSlot(next, slot: slot)
            open(&turn, next, speech: response.speech, reprompt: response.reprompt ?? response.speech, isSSML: response.isSSML)
        case .confirmIntent:
            turn.session.pending = .confirmIntent(next, bySkill: true)
            open(&turn, next, speech: response.speech, reprompt: response.reprompt ?? response.speech, isSSML: response.isSSML)
        case .delegate:
            let rules = skill.package.manifest.intents[call.intent] ?? SkillManifest.IntentRules()
            if let missing = rules.required.first(where: { next.slots[$0] == nil }) {
                elicit(&turn, next, slot: missing, prompt: slotPrompt(next, slot: missing))
            } else if depth == 0 {
                await run(&turn, next, depth: 1)
            } else {
                options.logger.error("skill \(skill.id) delegated \(call.intent) with every required slot filled")
                turn.session.close()
                say(&turn, hark: "skill_failed", ["skill": skill.package.manifest.name])
            }
        case nil:
            turn.reply = response.speech
            turn.isSSML = response.isSSML
            if response.endSession {
                turn.session.close()
            } else {
                turn.session.isOpen = true
                turn.session.lastReprompt = response.reprompt ?? response.speech
            }
        }
    }

    // MARK: - Helpers

    private func elicit(
        _ turn: inout Turn, _ call: IntentCall, slot: String, prompt: String, reprompt: String? = nil,
        isSSML: Bool = false
    ) {
        turn.session.pending = .elicitSlot(call, slot: slot)
        open(&turn, call, speech: prompt, reprompt: reprompt ?? prompt, isSSML: isSSML)
    }

    private func open(_ turn: inout Turn, _ call: IntentCall, speech: String, reprompt: String, isSSML: Bool = false) {
        turn.skill = call.skill
        turn.intent = call.intent
        turn.slots = call.slots
        turn.reply = speech
        turn.isSSML = isSSML
        turn.session.activeSkill = call.skill
        turn.session.isOpen = true
        turn.session.lastReprompt = reprompt
    }

    private func offer(_ turn: inout Turn, _ call: IntentCall, sentence: String) {
        turn.session.pending = .didYouMean(call)
        turn.session.isOpen = true
        turn.skill = nil
        turn.intent = nil
        say(&turn, hark: "did_you_mean", ["sentence": sentence])
        turn.session.lastReprompt = turn.reply
    }

    private func notUnderstood(_ turn: inout Turn, result: MatchResult) {
        turn.fallback = true
        if let near = result.nearest, near.skill != Self.builtinSkillID, !near.matchedText.isEmpty {
            let rest = near.unmatchedWords.isEmpty
                ? near.missingParts.joined(separator: " ") : near.unmatchedWords.joined(separator: " ")
            if !rest.isEmpty {
                say(&turn, hark: "not_understood_near", ["understood": near.matchedText, "rest": rest])
                return
            }
        }
        if turn.session.isOpen, let reprompt = turn.session.lastReprompt {
            say(&turn, hark: "not_understood_skill", ["prompt": reprompt])
        } else {
            say(&turn, hark: "not_understood")
        }
    }

    /// Ends the open conversation, telling its skill.
    private func endConversation(_ turn: inout Turn, reason: SkillRequest.SessionEndReason) async {
        if let active = turn.session.activeSkill, turn.session.isOpen, let skill = skills[active] {
            let request = SkillRequest(
                kind: .sessionEnded(reason),
                session: SessionInfo(id: turn.session.id, isNew: false, attributes: turn.session.attributes),
                area: turn.area)
            do {
                _ = try await skill.handler.handle(request, context: context(for: skill))
            } catch {
                options.logger.warning("skill \(active) failed on session end: \(error)")
            }
        }
        turn.session.close()
    }

    private func say(_ turn: inout Turn, hark key: String, _ values: [String: String] = [:]) {
        turn.reply = render(hark, key, values)
        turn.isSSML = false
    }

    private func render(_ package: SkillPackage, _ key: String, _ values: [String: String]) -> String {
        do {
            return try package.responses.render(key, values)
        } catch {
            options.logger.error("\(error)")
            return key
        }
    }

    /// The skill's `ask_SLOT` (or `ask_INTENT_SLOT`) response, else Hark's generic question.
    private func slotPrompt(_ call: IntentCall, slot: String) -> String {
        if let responses = skills[call.skill]?.package.responses {
            for key in ["ask_\(call.intent)_\(slot)", "ask_\(slot)"] where responses.has(key) {
                if let text = try? responses.render(key, spokenValues(call)) { return text }
            }
        }
        return render(hark, "ask_slot", ["slot": slot])
    }

    private func spokenValues(_ call: IntentCall) -> [String: String] {
        call.slots.mapValues(\.spoken).merging(call.spoken.filter { call.slots[$0.key] == nil }) { a, _ in a }
    }

    private func describe(_ call: IntentCall) -> String {
        let slots = call.slots.keys.sorted().map { "\($0) \(call.slots[$0]!.spoken)" }
        return ([call.intent] + slots).joined(separator: ", ")
    }

    private func helpExamples() -> String {
        let samples = engine.sampleSentences(limit: 200, perIntent: 1, seed: 7)
        var perSkill: [String: String] = [:]
        for sample in samples where sample.skill != Self.builtinSkillID && perSkill[sample.skill] == nil {
            perSkill[sample.skill] = sample.text
        }
        let examples = perSkill.keys.sorted().prefix(4).map { "\"\(perSkill[$0]!)\"" }
        return examples.isEmpty ? "\"help\"" : SpokenText.list(Array(examples), conjunction: "or")
    }

    /// Reads a bare answer as the value of one slot of a skill, with the slot's own list or type.
    private func readSlot(_ text: String, skill: String, slot: String, turn: Turn) -> (SlotValue, String)? {
        let key = skill + "\u{1}" + slot
        if slotReaders[key] == nil, let package = skills[skill]?.package {
            slotReaders[key] = try? BuiltinIntents.slotReader(for: package.templates, slot: slot)
        }
        guard let reader = slotReaders[key] else { return nil }
        let match = reader.match(
            text, context: MatchContext(turn.area.map { ["area": $0] } ?? [:], now: turn.now, calendar: options.clock.calendar)
        ).best
        guard let match, let value = match.slots[slot] else { return nil }
        return (value, match.rawSlots[slot] ?? value.spoken)
    }

    /// The context `skill` runs in; `calls` are the skills whose `InvokeIntent` led to it, outermost first.
    private func context(for skill: InstalledSkill, calls: [String] = []) -> SkillContext {
        SkillContext(
            skillID: skill.id, storage: SQLiteSkillStorage(database: database, skill: skill.id),
            dataDirectory: options.dataDirectory + "/skills/" + skill.id,
            settings: options.skillSettings[skill.id] ?? [:], clock: options.clock,
            logger: Logger(label: "hark.skill.\(skill.id)"), responses: skill.package.responses,
            skills: PermittedSkills(caller: skill.package.manifest, calls: calls + [skill.id], assistant: self))
    }

    /// How many skill-to-skill calls one request may nest (A calls B calls C calls D, and no further).
    public static let maximumInvocationDepth = 3

    /// Runs another skill's intent for a skill whose manifest allows it (no dialog, no session). `calls` is
    /// the chain of skills that led here, ending with the caller: a skill already in it, or a chain longer
    /// than ``maximumInvocationDepth``, is refused.
    func invoke(
        caller: SkillManifest, calls: [String], skill id: String, intent: String, slots: Slots
    ) async throws -> SkillResponse {
        guard caller.allows(skill: id, intent: intent) else {
            throw SkillError.permissionDenied(caller: caller.id, target: "\(id).\(intent)")
        }
        guard !calls.contains(id) else { throw SkillError.invocationCycle(calls + [id]) }
        guard calls.count <= Self.maximumInvocationDepth else {
            throw SkillError.invocationTooDeep(calls + [id], limit: Self.maximumInvocationDepth)
        }
        guard let target = skills[id] else { throw SkillError.unknownSkill(id) }
        let request = SkillRequest(
            kind: .intent, intent: intent, slots: slots, utterance: "",
            session: SessionInfo(id: "skill:\(caller.id)"), dialogState: .completed)
        return try await target.handler.handle(request, context: context(for: target, calls: calls))
    }

    private func loadSession(id: String, now: Date) async -> DialogSession {
        do {
            if var stored = try await sessions.load(id) {
                if now.timeIntervalSince(stored.updatedAt) > options.sessionTimeout, stored.isOpen {
                    var turn = Turn(text: "", area: nil, session: stored, now: now)
                    await endConversation(&turn, reason: .expired)
                    stored = turn.session
                }
                return stored
            }
        } catch {
            options.logger.warning("\(error)")
        }
        return DialogSession(id: id, now: now)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}

/// The ``SkillInvoker`` a skill receives: calls go through the assistant, checked against the manifest.
struct PermittedSkills: SkillInvoker {
    let caller: SkillManifest
    /// The skills whose calls led to this one, ending with the caller.
    let calls: [String]
    let assistant: Assistant

    func invoke(skill: String, intent: String, slots: Slots) async throws -> SkillResponse {
        try await assistant.invoke(caller: caller, calls: calls, skill: skill, intent: intent, slots: slots)
    }
}

import Foundation
import HarkAssistant
import HarkSkillHost
import Metrics
import Prometheus

/// The metrics `hark serve` exports on `/metrics`, by the names both of its entry points (HTTP, Wyoming) use.
///
/// Each name always carries the same label names (Prometheus refuses one name with two label sets).
public enum ServeMetrics {
    /// `hark_requests_total` [entry]: requests by entry point (`http_ask`, `http_run`, `http_say`, `wyoming_asr`…).
    public static let requests = "hark_requests_total"
    /// `hark_intents_total` [skill, intent]: answers by the skill and intent that gave them.
    public static let intents = "hark_intents_total"
    /// `hark_recognition_seconds` [entry]: speech recognition time.
    public static let recognitionSeconds = "hark_recognition_seconds"
    /// `hark_skill_seconds` [skill]: time in the skill's handler.
    public static let skillSeconds = "hark_skill_seconds"
    /// `hark_wake_detections_total` [entry].
    public static let wakeDetections = "hark_wake_detections_total"
    /// `hark_skill_errors_total` [skill, kind]: kind `error` or `timeout`.
    public static let skillErrors = "hark_skill_errors_total"
    /// `hark_satellites_connected`: a gauge.
    public static let satellitesConnected = "hark_satellites_connected"

    /// Installs the Prometheus backend for swift-metrics (once per process) and returns the registry `/metrics`
    /// prints.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From 5 ms (a text request) to 30 s (a long recording on a busy machine).
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Counts one request at `entry`.
    public static func countRequest(entry: String) {
        Counter(label: requests, dimensions: [("entry", entry)]).increment()
    }

    /// Records what the assistant's answer says about the skill: the intent answered, the time in the skill, and
    /// the skill's error or timeout.
    public static func record(_ reply: AssistantReply) {
        let skill = reply.skill ?? Assistant.builtinSkillID
        if let intent = reply.intent {
            Counter(label: intents, dimensions: [("skill", skill), ("intent", intent)]).increment()
        }
        if let skillID = reply.skill, let milliseconds = reply.timings["skill"] {
            Timer(label: skillSeconds, dimensions: [("skill", skillID)])
                .recordNanoseconds(Int64(milliseconds * 1_000_000))
        }
        if let error = reply.skillError {
            let kind = (error as? SkillHostError)?.isTimeout == true ? "timeout" : "error"
            Counter(label: skillErrors, dimensions: [("skill", skill), ("kind", kind)]).increment()
        }
    }

    /// Records `milliseconds` of speech recognition at `entry`.
    public static func recordRecognition(milliseconds: Double, entry: String) {
        Timer(label: recognitionSeconds, dimensions: [("entry", entry)])
            .recordNanoseconds(Int64(milliseconds * 1_000_000))
    }

    /// Counts a wake phrase heard at `entry`.
    public static func countWake(entry: String) {
        Counter(label: wakeDetections, dimensions: [("entry", entry)]).increment()
    }
}

import Foundation
import Testing
import Yams

/// `docs/openapi.yaml` against the running server: every documented operation is served, answers with the documented
/// statuses and content types, and its JSON has the documented fields and types.
@Suite(.serialized) struct ServeHTTPOpenAPITests {
    /// The OpenAPI document.
    struct Document {
        var root: [String: Any]

        static func load() throws -> Document {
            let path = ServiceCLITests.repositoryRoot + "/docs/openapi.yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return Document(root: try #require(try Yams.load(yaml: text) as? [String: Any]))
        }

        /// (path, method, operation) for every operation.
        var operations: [(path: String, method: String, operation: [String: Any])] {
            let paths = root["paths"] as? [String: Any] ?? [:]
            return paths.keys.sorted().flatMap { path in
                let item = paths[path] as? [String: Any] ?? [:]
                return item.keys.sorted().compactMap { method in
                    (item[method] as? [String: Any]).map { (path, method, $0) }
                }
            }
        }

        /// `object`, or what its `$ref` points at.
        func resolve(_ object: [String: Any]) -> [String: Any] {
            guard let ref = object["$ref"] as? String, ref.hasPrefix("#/") else { return object }
            var node: Any = root
            for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
            return resolve(node as? [String: Any] ?? [:])
        }

        /// The documented responses of an operation: status → content type → schema.
        func responses(of operation: [String: Any]) -> [String: [String: [String: Any]]] {
            var result: [String: [String: [String: Any]]] = [:]
            for (status, value) in operation["responses"] as? [String: Any] ?? [:] {
                let response = resolve(value as? [String: Any] ?? [:])
                var types: [String: [String: Any]] = [:]
                for (type, media) in response["content"] as? [String: Any] ?? [:] {
                    types[type] = resolve((media as? [String: Any])?["schema"] as? [String: Any] ?? [:])
                }
                result[status] = types
            }
            return result
        }

        /// What is wrong with `value` against `schema` (empty: nothing).
        func problems(_ value: Any, _ schema: [String: Any], at where_: String = "$") -> [String] {
            let schema = resolve(schema)
            if value is NSNull { return schema["nullable"] as? Bool == true ? [] : ["\(where_): null"] }
            var found: [String] = []
            switch schema["type"] as? String {
            case "object":
                guard let object = value as? [String: Any] else { return ["\(where_): not an object"] }
                for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                    found.append("\(where_).\(key): missing")
                }
                for (key, sub) in schema["properties"] as? [String: Any] ?? [:] {
                    if let field = object[key] { found += problems(field, sub as? [String: Any] ?? [:], at: "\(where_).\(key)") }
                }
            case "array":
                guard let array = value as? [Any] else { return ["\(where_): not an array"] }
                if let items = schema["items"] as? [String: Any] {
                    for (index, item) in array.enumerated() { found += problems(item, items, at: "\(where_)[\(index)]") }
                }
            case "string":
                guard let string = value as? String else { return ["\(where_): not a string"] }
                if let allowed = schema["enum"] as? [String], !allowed.contains(string) {
                    found.append("\(where_): '\(string)' not in \(allowed)")
                }
            case "boolean":
                if Self.kind(of: value) != "boolean" { found.append("\(where_): not a boolean") }
            case "integer", "number":
                if Self.kind(of: value) != "number" { found.append("\(where_): not a number") }
            default: break
            }
            return found
        }

        /// "boolean" or "number" for a value JSONSerialization read (both may arrive as NSNumber), as written back.
        static func kind(of value: Any) -> String {
            guard let data = try? JSONSerialization.data(withJSONObject: [value]) else { return "?" }
            let text = String(decoding: data, as: UTF8.self)
            if text == "[true]" || text == "[false]" { return "boolean" }
            return text.dropFirst().first.map { "-0123456789".contains($0) } == true ? "number" : "other"
        }
    }

    /// Checks `answer` against the documented response for its status; returns what is wrong.
    static func check(_ answer: HTTPAnswer, _ operation: [String: Any], in document: Document) -> [String] {
        guard let documented = document.responses(of: operation)[String(answer.status)] else {
            return ["status \(answer.status) is not documented (\(answer.text.prefix(200)))"]
        }
        let type = String(answer.contentType.split(separator: ";").first ?? "")
        guard let schema = documented[type] else {
            return ["content type '\(answer.contentType)' is not documented for \(answer.status): \(documented.keys.sorted())"]
        }
        guard type == "application/json" else { return [] }
        guard let value = try? JSONSerialization.jsonObject(with: Data(answer.body)) else { return ["not JSON: \(answer.text)"] }
        return document.problems(value, schema)
    }

    @Test func theServerServesEveryDocumentedOperationAsDocumented() async throws {
        let document = try Document.load()
        let operations = document.operations
        // The document describes exactly the routes the server has.
        #expect(
            operations.map { "\($0.method.uppercased()) \($0.path)" }.sorted()
                == ["GET /healthz", "GET /metrics", "GET /v1/skills", "POST /v1/ask", "POST /v1/run", "POST /v1/say"])

        let token = "openapi-token"
        let server = try await ServeHTTPServer.start(config: "serve:\n  token: \(token)\n  max_body_bytes: 2048\n")
        let bearer = [("Authorization", "Bearer \(token)")]
        var provoked: Set<String> = []
        for (path, method, operation) in operations {
            let name = "\(method.uppercased()) \(path)"
            let statuses = Set(document.responses(of: operation).keys)
            let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any] ?? [:]
            let json = content["application/json"] as? [String: Any]
            let isGet = method == "get"

            // A good request, as the document's example gives it (a recording's 200 is in ServeHTTPVoiceTests).
            if isGet || json != nil {
                let example = try json.map { try JSONSerialization.data(withJSONObject: $0["example"] ?? [:]) }
                let answer = try await server.send(
                    isGet ? .GET : .POST, path, body: example.map(Array.init), headers: bearer)
                #expect(answer.status == 200, "\(name): \(answer.status) \(answer.text.prefix(300))")
                #expect(Self.check(answer, operation, in: document).isEmpty, "\(name): \(Self.check(answer, operation, in: document))")
                provoked.insert("\(name) 200")
            }
            if statuses.contains("400") {
                let body = json != nil ? Array(#"{"no_such_field": 1}"#.utf8) : Array("not a recording".utf8)
                let answer = try await server.send(.POST, path, body: body, headers: bearer)
                #expect(answer.status == 400, "\(name): \(answer.text)")
                #expect(Self.check(answer, operation, in: document).isEmpty, "\(name) 400: \(Self.check(answer, operation, in: document))")
                provoked.insert("\(name) 400")
            }
            if statuses.contains("401") {
                let answer = try await server.send(isGet ? .GET : .POST, path, body: isGet ? nil : Array("{}".utf8))
                #expect(answer.status == 401, "\(name): \(answer.text)")
                #expect(Self.check(answer, operation, in: document).isEmpty, "\(name) 401: \(Self.check(answer, operation, in: document))")
                provoked.insert("\(name) 401")
            } else {
                // Documented as open: answers without the token.
                let answer = try await server.send(.GET, path)
                #expect(answer.status == 200, "\(name) without a token: \(answer.text)")
                #expect(Self.check(answer, operation, in: document).isEmpty, "\(name) open: \(Self.check(answer, operation, in: document))")
            }
            if statuses.contains("413") {
                let answer = try await server.send(.POST, path, body: [UInt8](repeating: 0x20, count: 4096), headers: bearer)
                #expect(answer.status == 413, "\(name): \(answer.text)")
                #expect(Self.check(answer, operation, in: document).isEmpty, "\(name) 413: \(Self.check(answer, operation, in: document))")
                provoked.insert("\(name) 413")
            }
        }
        // Every documented answer was provoked, but a recording's 200 (ServeHTTPVoiceTests) and the 503 of a machine
        // without speech models.
        let documented = Set(operations.flatMap { op in document.responses(of: op.operation).keys.map { "\(op.method.uppercased()) \(op.path) \($0)" } })
        #expect(documented.subtracting(provoked) == ["POST /v1/run 200", "POST /v1/run 503"])
        #expect(try await server.stop() == 0)
    }
}

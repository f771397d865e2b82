import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

extension TestResponse {
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }

    /// The body as a JSON object; fails the test when it is not one.
    func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let parsed = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])
        return try #require(parsed as? [String: Any], "not a JSON object: \(status) \(text)", sourceLocation: sourceLocation)
    }

    /// The body as a JSON array; fails the test when it is not one.
    func array(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let parsed = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(parsed as? [[String: Any]], "not a JSON array of objects: \(status) \(text)",
                            sourceLocation: sourceLocation)
    }

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }

    var correlationId: String? { header("ININ-Correlation-Id") }
}

/// Checks that `response` is a Genesys ErrorBody with this status and code (and message, when given): every key
/// present, `status` matching, `contextId` equal to the `ININ-Correlation-Id` header. Returns the body.
@discardableResult
func assertErrorBody(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, message: String? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    #expect(response.status == status, "status; body: \(response.text)", sourceLocation: sourceLocation)
    let body = try response.object(sourceLocation: sourceLocation)
    for key in ["message", "code", "status", "messageWithParams", "messageParams", "contextId", "details", "errors"] {
        #expect(body[key] != nil, "ErrorBody lacks '\(key)': \(response.text)", sourceLocation: sourceLocation)
    }
    #expect(body["code"] as? String == code, "code; body: \(response.text)", sourceLocation: sourceLocation)
    #expect(body["status"] as? Int == Int(status.code), "status field; body: \(response.text)", sourceLocation: sourceLocation)
    #expect(body["messageParams"] is [String: Any], sourceLocation: sourceLocation)
    #expect(body["details"] is [Any] && body["errors"] is [Any], sourceLocation: sourceLocation)
    let contextId = body["contextId"] as? String
    #expect(contextId != nil && contextId?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(contextId == response.correlationId, "contextId must equal ININ-Correlation-Id", sourceLocation: sourceLocation)
    if let message {
        #expect(body["message"] as? String == message, "message; body: \(response.text)", sourceLocation: sourceLocation)
    }
    return body
}

/// The `fieldName`s of an ErrorBody's `details`.
func detailFields(_ body: [String: Any]) -> [String] {
    (body["details"] as? [[String: Any]] ?? []).compactMap { $0["fieldName"] as? String }
}

/// The `errorCode` of the detail naming `field`.
func detailCode(_ body: [String: Any], _ field: String) -> String? {
    (body["details"] as? [[String: Any]] ?? []).first { $0["fieldName"] as? String == field }?["errorCode"] as? String
}

/// Checks the three `inin-ratelimit-*` headers are present (and numeric).
func assertRateLimitHeaders(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
    for name in ["inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"] {
        let value = response.header(name)
        #expect(value.flatMap { Int($0) } != nil, "\(name) missing or not a number on \(response.status): \(value ?? "nil")",
                sourceLocation: sourceLocation)
    }
}

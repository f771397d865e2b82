import Foundation
import DocumentCodecs
import RecordingsDomain

/// Builds request bodies from JSON text and runs the validator.
enum Body {
    static let valid = """
    {"storage": {"destinationType": "s3", "bucketName": "legal-discovery-eu", "region": "eu-west-2", "prefix": "cases/LH-2023-001/"},
     "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"},
     "legal_hold": {"enabled": true, "case_id": "LH-2023-001", "reason": "Discovery"}}
    """

    static func json(_ text: String) -> JSONValue {
        guard let v = JSONValue.parse(Data(text.utf8)) else { fatalError("test JSON does not parse: \(text)") }
        return v
    }

    /// The valid body with one top-level or nested value replaced (`path` like "legal_hold" or "storage.region").
    static func with(_ path: String, _ replacement: String?) -> JSONValue {
        guard case .object(var root) = json(valid) else { fatalError() }
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 1 {
            root[parts[0]] = replacement.map(json)
        } else if case .object(var inner)? = root[parts[0]] {
            inner[parts[1]] = replacement.map(json)
            root[parts[0]] = .object(inner)
        }
        return .object(root)
    }

    static func failure(_ value: JSONValue) -> ValidationFailure? {
        if case .failure(let f) = ExportRequestValidator.validate(value) { return f }
        return nil
    }
}

/// The strict `legal_hold` schema (CONTRACT §1): an object, never a boolean, with exactly these keys.
public enum LegalHoldRules {
    static let keys = ["enabled", "case_id", "reason"]
    static let code = ExportErrorCode.legalHoldStructure

    /// Checks `legal_hold`; appends violations (all with `invalid.metadata.structure`) and returns the typed
    /// value when it is well-formed. A missing `legal_hold` is fine and returns nil.
    public static func check(_ value: JSONValue?, into v: inout [Violation]) -> ExportRequest.LegalHold? {
        guard let value else { return nil }
        guard case .object(let o) = value else {
            v.append(Violation(code, "legal_hold",
                               "legal_hold must be an object like {\"enabled\": true, \"case_id\": \"…\", \"reason\": \"…\"}, not \(value.kindName)"))
            return nil
        }
        let before = v.count
        v += ExportRequestValidator.unknownKeys(o, known: keys, path: "legal_hold", code: code)
        var enabled: Bool?
        switch o["enabled"] {
        case .none:
            v.append(Violation(code, "legal_hold.enabled", "legal_hold.enabled is required (a boolean)"))
        case .bool(let b)?:
            enabled = b
        case let other?:
            v.append(Violation(code, "legal_hold.enabled", "legal_hold.enabled must be a boolean, not \(other.kindName)"))
        }
        let required = enabled == true
        let caseId = string(o, "case_id", required: required, into: &v)
        if let caseId, !NameRules.isCaseId(caseId) {
            v.append(Violation(code, "legal_hold.case_id",
                               "legal_hold.case_id must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"))
        }
        let reason = string(o, "reason", required: required, into: &v)
        if let reason {
            if required, reason.allSatisfy(\.isWhitespace) {
                v.append(Violation(code, "legal_hold.reason", "legal_hold.reason must not be blank"))
            } else if reason.unicodeScalars.count > 500 {
                v.append(Violation(code, "legal_hold.reason", "legal_hold.reason must be at most 500 characters"))
            }
        }
        guard v.count == before, let enabled else { return nil }
        return ExportRequest.LegalHold(enabled: enabled, caseId: caseId, reason: reason)
    }

    static func string(_ o: [String: JSONValue], _ key: String, required: Bool, into v: inout [Violation]) -> String? {
        let field = "legal_hold.\(key)"
        switch o[key] {
        case .none:
            if required { v.append(Violation(code, field, "\(field) is required when legal_hold.enabled is true")) }
            return nil
        case .string(let s)?:
            return s
        case let other?:
            v.append(Violation(code, field, "\(field) must be a string, not \(other.kindName)"))
            return nil
        }
    }

    /// The registry check, made only for an otherwise valid request: the hold must exist and be active.
    public static func registryFailure(caseId: String, status: LegalHoldStatus?) -> ValidationFailure? {
        switch status {
        case .none:
            return ValidationFailure(code: ExportErrorCode.legalHoldNotFound,
                                     message: "Legal hold case id '\(caseId)' was not found in the legal-hold registry",
                                     details: [Violation(ExportErrorCode.legalHoldNotFound, "legal_hold.case_id",
                                                         "No legal hold with case id '\(caseId)' exists")])
        case .released?:
            return ValidationFailure(code: ExportErrorCode.legalHoldNotActive,
                                     message: "Legal hold case id '\(caseId)' has been released and is no longer active",
                                     details: [Violation(ExportErrorCode.legalHoldNotActive, "legal_hold.case_id",
                                                         "The legal hold '\(caseId)' is RELEASED")])
        case .active?:
            return nil
        }
    }
}

public enum LegalHoldStatus: String, Sendable, Codable, Equatable {
    case active = "ACTIVE"
    case released = "RELEASED"
}

/// What a legal hold covers besides its conversation ids: media types and an interval.
package struct HoldFilter: Sendable, Codable, Equatable {
    package var mediaTypes: [String]?
    package var interval: String?

    package init(mediaTypes: [String]? = nil, interval: String? = nil) {
        self.mediaTypes = mediaTypes
        self.interval = interval
    }
}

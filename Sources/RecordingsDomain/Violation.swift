/// One broken rule of a request: which field, which Genesys error code, and a sentence for people.
public struct Violation: Sendable, Equatable, Codable {
    public var errorCode: String
    public var fieldName: String
    public var message: String

    public init(_ errorCode: String, _ fieldName: String, _ message: String) {
        self.errorCode = errorCode
        self.fieldName = fieldName
        self.message = message
    }
}

/// Error codes of the export API (CONTRACT §1).
public enum ExportErrorCode {
    public static let legalHoldStructure = "invalid.metadata.structure"
    public static let legalHoldNotFound = "legal.hold.not.found"
    public static let legalHoldNotActive = "legal.hold.not.active"
    public static let badRequest = "bad.request"
    public static let invalidValue = "invalid.value"
    public static let invalidDate = "invalid.date"
    public static let legalHoldStructureMessage = "Invalid metadata structure for legal_hold"
}

/// Why a request was refused: the top-level code and message (by the contract's precedence) and every violation.
public struct ValidationFailure: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public var details: [Violation]

    public init(code: String, message: String, details: [Violation]) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// Applies the precedence rule: a `legal_hold` structure problem wins; otherwise the first violation speaks.
    public init(violations: [Violation]) {
        precondition(!violations.isEmpty)
        if violations.contains(where: { $0.errorCode == ExportErrorCode.legalHoldStructure }) {
            code = ExportErrorCode.legalHoldStructure
            message = ExportErrorCode.legalHoldStructureMessage
        } else {
            let first = violations[0]
            code = first.errorCode
            message = violations.count == 1
                ? first.message
                : "\(first.message) (and \(violations.count - 1) more; see details)"
        }
        details = violations
    }
}

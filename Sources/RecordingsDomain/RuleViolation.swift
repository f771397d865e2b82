/// A business rule refusing a request. Rules live in the domain; each surface answers a violation in its own
/// error shape (Genesys ErrorBody on `/api/v2`, admin JSON on `/__admin`).
public struct RuleViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case badRequest, forbidden, notFound, conflict }

    public var kind: Kind
    /// The surface's error code (`bad.request`, `not.authorized`, `hold.exists`, ...).
    public var code: String
    public var message: String
    /// The request field at fault, where there is one.
    public var field: String?

    public init(_ kind: Kind, _ code: String, _ message: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(code): \(message)" }
}

/// The recording-jobs face's rules (CONTRACT §2, GENESYS-FACTS: two concurrent jobs, creator-only execution).
public enum RecordingJobRules {
    public static let concurrencyMessage =
        "Each organization can run up to a maximum of two concurrent jobs that are either in pending or processing state"
    public static let maxActive = 2

    /// A new job is admitted while fewer than two of its org's jobs are PENDING or PROCESSING.
    public static func admit(activeJobs: Int) throws(RuleViolation) {
        guard activeJobs < maxActive else { throw RuleViolation(.badRequest, "bad.request", concurrencyMessage) }
    }

    /// Only the creator executes a job, only while it is READY, and only within the concurrency limit.
    public static func execute(jobId: String, state: JobState, creator: String, caller: String, activeJobs: Int) throws(RuleViolation) {
        guard creator == caller else {
            throw RuleViolation(.forbidden, "not.authorized", "A job must be executed by the same user who originally created it")
        }
        guard state == .ready else {
            throw RuleViolation(.badRequest, "bad.request", "Recording job \(jobId) is \(state.rawValue); only a READY job can be executed",
                                field: "state")
        }
        try admit(activeJobs: activeJobs)
    }
}

/// The legal-hold registry's rules (`/__admin/legal-holds`).
public enum HoldRules {
    public static func unknownOrg(_ requested: String?) -> RuleViolation {
        RuleViolation(.badRequest, "bad.request", "Unknown orgId '\(requested ?? "")'")
    }

    public static func caseIdTaken(_ caseId: String) -> RuleViolation {
        RuleViolation(.conflict, "hold.exists", "Case id '\(caseId)' is already used in this org (released case ids are never reused)")
    }

    public static func noHold(_ caseId: String, orgId: String) -> RuleViolation {
        RuleViolation(.notFound, "not.found", "No legal hold with case id '\(caseId)' in org \(orgId)")
    }

    public static func release(caseId: String, status: LegalHoldStatus) throws(RuleViolation) {
        guard status == .active else {
            throw RuleViolation(.conflict, "hold.already.released", "Legal hold '\(caseId)' was already released")
        }
    }
}

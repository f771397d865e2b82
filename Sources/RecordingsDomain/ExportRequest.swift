import Foundation

/// A valid export request (CONTRACT §1). Keys on the wire are exactly these, `legal_hold` in snake_case.
public struct ExportRequest: Sendable, Equatable, Codable {
    public struct Storage: Sendable, Equatable, Codable {
        public var destinationType: String
        public var bucketName: String
        public var region: String
        public var prefix: String?

        public init(destinationType: String = "s3", bucketName: String, region: String, prefix: String? = nil) {
            self.destinationType = destinationType
            self.bucketName = bucketName
            self.region = region
            self.prefix = prefix
        }
    }

    public struct Filter: Sendable, Equatable, Codable {
        public var mediaTypes: [String]
        public var interval: String?
        public var conversationIds: [String]?

        public init(mediaTypes: [String], interval: String? = nil, conversationIds: [String]? = nil) {
            self.mediaTypes = mediaTypes
            self.interval = interval
            self.conversationIds = conversationIds
        }

        /// The parsed interval; only nil when none was given (the validator guarantees it parses).
        public var dateInterval: (start: Date, end: Date)? { interval.flatMap(Timestamp.parseInterval) }
    }

    public struct LegalHold: Sendable, Equatable, Codable {
        public var enabled: Bool
        public var caseId: String?
        public var reason: String?

        enum CodingKeys: String, CodingKey {
            case enabled
            case caseId = "case_id"
            case reason
        }

        public init(enabled: Bool, caseId: String? = nil, reason: String? = nil) {
            self.enabled = enabled
            self.caseId = caseId
            self.reason = reason
        }
    }

    public var storage: Storage
    public var filter: Filter
    public var legalHold: LegalHold?

    enum CodingKeys: String, CodingKey {
        case storage, filter
        case legalHold = "legal_hold"
    }

    public init(storage: Storage, filter: Filter, legalHold: LegalHold? = nil) {
        self.storage = storage
        self.filter = filter
        self.legalHold = legalHold
    }

    /// The case id when the export is under an enabled legal hold.
    public var heldCaseId: String? { legalHold?.enabled == true ? legalHold?.caseId : nil }
}

/// The messenger types an export may select (CONTRACT §1).
public enum MessengerType {
    public static let all = ["whatsapp", "sms", "facebook", "instagram", "webmessaging", "open", "apple", "line", "twitter"]
}

/// Which conversations a job covers, whatever face created it: the export API's filter or a recording job's
/// conversation query. Stored with the job, so counting after a restart selects exactly the same set.
public struct JobSelection: Sendable, Equatable, Codable {
    /// Messenger types (`whatsapp`, `sms`, …); nil = every type.
    public var messengerTypes: [String]?
    /// `start/end`, matched on the conversation start (start inclusive, end exclusive).
    public var interval: String?
    public var conversationIds: [String]?
    /// Segment and conversation filters of a recording job, all of which must hold.
    public var predicates: [ConversationPredicate]

    public init(messengerTypes: [String]? = nil, interval: String? = nil, conversationIds: [String]? = nil,
                predicates: [ConversationPredicate] = []) {
        self.messengerTypes = messengerTypes
        self.interval = interval
        self.conversationIds = conversationIds
        self.predicates = predicates
    }

    public init(_ filter: ExportRequest.Filter) {
        self.init(messengerTypes: filter.mediaTypes, interval: filter.interval, conversationIds: filter.conversationIds)
    }

    /// Whether the predicates hold for a conversation (the SQL side applies types, interval and ids).
    public func predicatesMatch(_ c: ConversationFacts) -> Bool { predicates.allSatisfy { $0.matches(c) } }
}

/// What filters can ask about a conversation.
public struct ConversationFacts: Sendable, Equatable {
    public var id: String
    public var messengerType: String
    public var queueId: String

    public init(id: String, messengerType: String, queueId: String) {
        self.id = id
        self.messengerType = messengerType
        self.queueId = queueId
    }
}

/// A Genesys analytics filter (`{"type": "and"|"or", "predicates": [...], "clauses": [...]}`) reduced to what the
/// mock can answer: media type, message type, queue, direction and conversation id.
public indirect enum ConversationPredicate: Sendable, Equatable, Codable {
    case all([ConversationPredicate])
    case any([ConversationPredicate])
    case dimension(name: String, op: String, value: String?)

    /// Whether the predicate looks at `dimension` anywhere (a store reads a costly fact only when asked for it).
    public func mentions(_ dimension: String) -> Bool {
        switch self {
        case .all(let items), .any(let items): return items.contains { $0.mentions(dimension) }
        case .dimension(let name, _, _): return name == dimension
        }
    }

    public func matches(_ c: ConversationFacts) -> Bool {
        switch self {
        case .all(let items): return items.allSatisfy { $0.matches(c) }
        case .any(let items): return items.isEmpty || items.contains { $0.matches(c) }
        case .dimension(let name, let op, let value):
            let actual: String?
            switch name {
            case "mediaType": actual = "message"
            case "messageType": actual = c.messengerType
            case "queueId": actual = c.queueId
            case "conversationId": actual = c.id
            case "direction", "originatingDirection": actual = "inbound"  // the customer writes first on WhatsApp
            default: actual = nil
            }
            switch op {
            case "exists": return actual != nil
            case "notExists": return actual == nil
            default: return actual?.lowercased() == value?.lowercased()
            }
        }
    }
}

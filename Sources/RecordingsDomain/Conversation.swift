import Foundation

/// A seeded messaging conversation, exactly as written in `fixtures/conversations/*.json`.
public struct Conversation: Sendable, Equatable, Codable {
    public struct Queue: Sendable, Equatable, Codable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Participant: Sendable, Equatable, Codable {
        public var id: String
        public var purpose: String
        public var name: String
        public var address: String
        public var userId: String?
        public var externalContactId: String?

        public init(id: String, purpose: String, name: String, address: String, userId: String?, externalContactId: String?) {
            self.id = id
            self.purpose = purpose
            self.name = name
            self.address = address
            self.userId = userId
            self.externalContactId = externalContactId
        }
    }

    public struct Media: Sendable, Equatable, Codable {
        public var id: String
        public var url: String
        public var mediaType: String
        public var contentLength: Int
        public var name: String

        public init(id: String, url: String, mediaType: String, contentLength: Int, name: String) {
            self.id = id
            self.url = url
            self.mediaType = mediaType
            self.contentLength = contentLength
            self.name = name
        }
    }

    public struct Sticker: Sendable, Equatable, Codable {
        public var id: String
        public var url: String

        public init(id: String, url: String) {
            self.id = id
            self.url = url
        }
    }

    public struct Message: Sendable, Equatable, Codable {
        public var id: String
        public var participantId: String
        public var timestamp: String
        public var text: String?
        public var media: [Media]?
        public var stickers: [Sticker]?

        public init(id: String, participantId: String, timestamp: String, text: String?, media: [Media]?, stickers: [Sticker]?) {
            self.id = id
            self.participantId = participantId
            self.timestamp = timestamp
            self.text = text
            self.media = media
            self.stickers = stickers
        }
    }

    public var id: String
    public var orgId: String
    public var messengerType: String
    public var startTime: String
    public var endTime: String
    public var queue: Queue
    public var recordingId: String
    public var participants: [Participant]
    public var messages: [Message]

    public init(id: String, orgId: String, messengerType: String, startTime: String, endTime: String, queue: Queue,
                recordingId: String, participants: [Participant], messages: [Message]) {
        self.id = id
        self.orgId = orgId
        self.messengerType = messengerType
        self.startTime = startTime
        self.endTime = endTime
        self.queue = queue
        self.recordingId = recordingId
        self.participants = participants
        self.messages = messages
    }

    public var startDate: Date? { Timestamp.parse(startTime) }
    public var endDate: Date? { Timestamp.parse(endTime) }

    /// Problems that make a fixture unusable (the loader refuses the file and names them).
    public var problems: [String] {
        var out: [String] = []
        if startDate == nil { out.append("startTime is not ISO-8601") }
        if endDate == nil { out.append("endTime is not ISO-8601") }
        if let s = startDate, let e = endDate, e < s { out.append("endTime is before startTime") }
        if !participants.contains(where: { $0.purpose == "customer" }) { out.append("no customer participant") }
        let ids = Set(participants.map(\.id))
        for m in messages {
            if !ids.contains(m.participantId) { out.append("message \(m.id) names unknown participant \(m.participantId)") }
            if Timestamp.parse(m.timestamp) == nil { out.append("message \(m.id) has a bad timestamp") }
        }
        return out
    }
}

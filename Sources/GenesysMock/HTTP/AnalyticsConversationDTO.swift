import Crypto
import Foundation
import RecordingsDomain

/// A conversation as the details query answers it (the SDK's `AnalyticsConversationWithoutAttributes`): its
/// participants, each with one WhatsApp message session (media `message`, message type `whatsapp`) and one
/// `interact` segment in the conversation's queue spanning the conversation. The customer's session is marked as
/// recorded (`recording`); the recording's id comes, as on the platform, from the conversation's recording metadata.
struct AnalyticsConversationDTO: Encodable {
    struct Participant: Encodable {
        var participantId: String
        var participantName: String
        var purpose: String
        var userId: String?
        var externalContactId: String?
        var sessions: [Session]
    }

    struct Session: Encodable {
        var sessionId: String
        var mediaType = "message"
        var messageType: String
        var direction = "inbound"
        var ani: String
        var dnis: String
        var addressFrom: String
        var addressTo: String
        var recording: Bool
        var segments: [Segment]
    }

    struct Segment: Encodable {
        var segmentStart: String
        var segmentEnd: String
        var segmentType = "interact"
        var queueId: String
        var conference = false
    }

    var conversationId: String
    var conversationStart: String
    var conversationEnd: String
    var originatingDirection = "inbound"
    var participants: [Participant]

    init(_ c: Conversation) {
        let start = c.startDate.map(Timestamp.format) ?? c.startTime
        let end = c.endDate.map(Timestamp.format) ?? c.endTime
        conversationId = c.id
        conversationStart = start
        conversationEnd = end
        let business = c.participants.first { $0.purpose != "customer" }?.address ?? ""
        let customer = c.participants.first { $0.purpose == "customer" }?.address ?? ""
        participants = c.participants.map { p in
            let isCustomer = p.purpose == "customer"
            let session = Session(sessionId: Self.derivedId(c.id, p.id), messageType: c.messengerType,
                                  ani: customer, dnis: business, addressFrom: customer, addressTo: business,
                                  recording: isCustomer,
                                  segments: [Segment(segmentStart: start, segmentEnd: end, queueId: c.queue.id)])
            return Participant(participantId: p.id, participantName: p.name, purpose: p.purpose, userId: p.userId,
                               externalContactId: p.externalContactId, sessions: [session])
        }
    }

    /// A stable id in UUID form for what the seeded data has no id of its own (a participant's session).
    static func derivedId(_ parts: String...) -> String {
        var bytes = Array(SHA256.hash(data: Data(parts.joined(separator: "/").utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4 layout, variant 1: an ordinary-looking UUID
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Digest.hex(bytes)
        let h = Array(hex)
        return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }
}

/// The details query's answer (`AnalyticsConversationQueryResponse`).
struct AnalyticsConversationQueryResponse: Encodable {
    var conversations: [AnalyticsConversationDTO]
    var totalHits: Int
}

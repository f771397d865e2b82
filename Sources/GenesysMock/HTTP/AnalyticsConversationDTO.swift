import Crypto
import DocumentCodecs
import Foundation
import Hummingbird
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
    static func derivedId(_ parts: String...) -> String { StableID.uuid(parts) }

    /// This conversation as JSON, written by hand: the bytes `JSONResponse.body` (sorted keys, unescaped slashes,
    /// absent optionals left out) writes for it, several times faster. A details page or a job's results page
    /// holds up to a thousand of them; a test compares the bytes with `JSONEncoder`'s.
    func write(into w: inout [UInt8]) {
        func key(_ k: StaticString) { w.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount)) }
        func string(_ s: String) { FastJSON.string(s, into: &w) }
        key("{\"conversationEnd\":"); string(conversationEnd)
        key(",\"conversationId\":"); string(conversationId)
        key(",\"conversationStart\":"); string(conversationStart)
        key(",\"originatingDirection\":"); string(originatingDirection)
        key(",\"participants\":[")
        for (i, p) in participants.enumerated() {
            key(i == 0 ? "{" : ",{")
            if let e = p.externalContactId { key("\"externalContactId\":"); string(e); key(",") }
            key("\"participantId\":"); string(p.participantId)
            key(",\"participantName\":"); string(p.participantName)
            key(",\"purpose\":"); string(p.purpose)
            key(",\"sessions\":[")
            for (j, s) in p.sessions.enumerated() {
                key(j == 0 ? "{\"addressFrom\":" : ",{\"addressFrom\":"); string(s.addressFrom)
                key(",\"addressTo\":"); string(s.addressTo)
                key(",\"ani\":"); string(s.ani)
                key(",\"direction\":"); string(s.direction)
                key(",\"dnis\":"); string(s.dnis)
                key(",\"mediaType\":"); string(s.mediaType)
                key(",\"messageType\":"); string(s.messageType)
                key(s.recording ? ",\"recording\":true" : ",\"recording\":false")
                key(",\"segments\":[")
                for (k, g) in s.segments.enumerated() {
                    key(k == 0 ? "{" : ",{")
                    key(g.conference ? "\"conference\":true" : "\"conference\":false")
                    key(",\"queueId\":"); string(g.queueId)
                    key(",\"segmentEnd\":"); string(g.segmentEnd)
                    key(",\"segmentStart\":"); string(g.segmentStart)
                    key(",\"segmentType\":"); string(g.segmentType)
                    key("}")
                }
                key("],\"sessionId\":"); string(s.sessionId)
                key("}")
            }
            key("]")
            if let u = p.userId { key(",\"userId\":"); string(u) }
            key("}")
        }
        key("]}")
    }

    /// `{"conversations":[…], <tail>}`: a page of conversations followed by the members `tail` writes (sorted after
    /// `conversations`, as every answer that holds them has them).
    static func page(_ conversations: [Conversation], tail: (inout [UInt8]) -> Void) -> ByteBuffer {
        var w: [UInt8] = []
        w.reserveCapacity(1024 + conversations.count * 1500)
        w.append(contentsOf: Array("{\"conversations\":[".utf8))
        for (i, c) in conversations.enumerated() {
            if i > 0 { w.append(UInt8(ascii: ",")) }
            AnalyticsConversationDTO(c).write(into: &w)
        }
        w.append(UInt8(ascii: "]"))
        tail(&w)
        w.append(UInt8(ascii: "}"))
        return ByteBuffer(bytes: w)
    }
}

/// The details query's answer (`AnalyticsConversationQueryResponse`).
struct AnalyticsConversationQueryResponse: Encodable {
    var conversations: [AnalyticsConversationDTO]
    var totalHits: Int
}

import Foundation
import RecordingsDomain

/// `GET /api/v2/conversations/{id}` as the SDK's `Conversation` reads it: an ended messaging conversation whose
/// participants each hold one `messages` communication (type `whatsapp` or `sms`), with the ids the details query
/// uses (a communication's id is the analytics session id) and, on the customer's, the recording's id.
struct ConversationDTO: Encodable {
    struct Address: Encodable {
        var addressNormalized: String
        var addressRaw: String
        var addressDisplayable: String

        init(_ address: String) {
            (addressNormalized, addressRaw, addressDisplayable) = (address, address, address)
        }
    }

    struct MessageDetail: Encodable {
        var messageId: String
        var messageStatus: String
        var messageSegmentCount = 1
        var messageTime: String
    }

    struct Communication: Encodable {
        var id: String
        var state = "disconnected"
        var initialState = "connected"
        var direction = "inbound"
        var recordingId: String?
        var type: String
        var disconnectType = "endpoint"
        var connectedTime: String
        var disconnectedTime: String
        var toAddress: Address
        var fromAddress: Address
        var messages: [MessageDetail]
    }

    struct Participant: Encodable {
        var id: String
        var startTime: String
        var endTime: String
        var connectedTime: String
        var name: String
        var userId: String?
        var userUri: String?
        var externalContactId: String?
        var queueId: String?
        var purpose: String
        var address: String
        var messages: [Communication]
    }

    var id: String
    var startTime: String
    var endTime: String
    var participants: [Participant]
    var selfUri: String

    init(_ c: Conversation) {
        let start = c.startDate.map(Timestamp.format) ?? c.startTime
        let end = c.endDate.map(Timestamp.format) ?? c.endTime
        let customer = c.participants.first { $0.purpose == "customer" }?.address ?? ""
        let business = c.participants.first { $0.purpose != "customer" }?.address ?? ""
        id = c.id
        startTime = start
        endTime = end
        selfUri = "/api/v2/conversations/\(c.id)"
        participants = c.participants.map { p in
            let isCustomer = p.purpose == "customer"
            let sent = c.messages.filter { $0.participantId == p.id }.map {
                MessageDetail(messageId: $0.id, messageStatus: isCustomer ? "received" : "sent",
                              messageTime: Timestamp.parse($0.timestamp).map(Timestamp.format) ?? $0.timestamp)
            }
            let communication = Communication(
                id: AnalyticsConversationDTO.derivedId(c.id, p.id), recordingId: isCustomer ? c.recordingId : nil,
                type: c.messengerType, connectedTime: start, disconnectedTime: end,
                toAddress: Address(business), fromAddress: Address(customer), messages: sent)
            return Participant(id: p.id, startTime: start, endTime: end, connectedTime: start, name: p.name, userId: p.userId,
                               userUri: p.userId.map { "/api/v2/users/\($0)" }, externalContactId: p.externalContactId,
                               queueId: isCustomer ? nil : c.queue.id, purpose: p.purpose, address: p.address,
                               messages: [communication])
        }
    }
}

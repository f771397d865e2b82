/// The Genesys `Recording` of a messaging conversation, with its `messagingTranscript` (GENESYS-FACTS §2.1, §2.2).
public struct RecordingDocument: Sendable, Equatable, Codable {
    public struct Ref: Sendable, Equatable, Codable {
        public var id: String
        public var selfUri: String
    }

    public struct UserRef: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        public var selfUri: String
    }

    public struct Attachment: Sendable, Equatable, Codable {
        public var url: String
        public var mediaType: String
        public var contentLength: Int
        public var name: String
        public var id: String
    }

    public struct Sticker: Sendable, Equatable, Codable {
        public var url: String
        public var id: String
    }

    public struct Message: Sendable, Equatable, Codable {
        public var from: String
        public var to: String
        public var timestamp: String
        public var id: String
        public var purpose: String
        public var participantId: String
        public var queue: Ref?
        public var messageText: String
        public var messageMediaAttachments: [Attachment]
        public var messageStickerAttachments: [Sticker]
        public var fromUser: UserRef?
        public var fromExternalContact: Ref?
    }

    public var id: String
    public var conversationId: String
    public var name: String
    public var startTime: String
    public var endTime: String
    public var media: String
    public var messagingTranscript: [Message]
    public var fileState: String
    public var creationTime: String
    public var recordingFileRole: String
    public var exportDate: String?
    public var exportedDate: String?
    public var archiveDate: String?
    public var deleteDate: String?
    public var selfUri: String
    /// Only while an archived recording is being restored or is restored: until when (then it is archived again).
    public var restoreExpirationTime: String? = nil
    /// `CLOUDARCHIVE` once archived; absent before.
    public var archiveMedium: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, conversationId, name, startTime, endTime, media, messagingTranscript, fileState, creationTime
        case recordingFileRole, exportDate, exportedDate, archiveDate, deleteDate, selfUri, restoreExpirationTime, archiveMedium
    }

    /// Nil dates are written as JSON `null`, as Genesys does.
    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, transcript: true, selfUri: selfUri)
    }

    /// The one encoder of a recording: with its transcript (`Recording`) or without (`RecordingMetadata`, under its
    /// own `selfUri`).
    func encode(to encoder: any Encoder, transcript: Bool, selfUri: String) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(conversationId, forKey: .conversationId)
        try c.encode(name, forKey: .name)
        try c.encode(startTime, forKey: .startTime)
        try c.encode(endTime, forKey: .endTime)
        try c.encode(media, forKey: .media)
        if transcript { try c.encode(messagingTranscript, forKey: .messagingTranscript) }
        try c.encode(fileState, forKey: .fileState)
        try c.encode(creationTime, forKey: .creationTime)
        try c.encode(recordingFileRole, forKey: .recordingFileRole)
        try c.encode(exportDate, forKey: .exportDate)
        try c.encode(exportedDate, forKey: .exportedDate)
        try c.encode(archiveDate, forKey: .archiveDate)
        try c.encode(deleteDate, forKey: .deleteDate)
        try c.encodeIfPresent(restoreExpirationTime, forKey: .restoreExpirationTime)
        try c.encodeIfPresent(archiveMedium, forKey: .archiveMedium)
        try c.encode(selfUri, forKey: .selfUri)
    }
}

extension Conversation {
    public var recordingUri: String { "/api/v2/conversations/\(id)/recordings/\(recordingId)" }

    /// The conversation's one messaging recording, as the conversation recordings endpoints return it.
    public func recording(exportedDate: String?) -> RecordingDocument {
        let byId = Dictionary(participants.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let customer = participants.first { $0.purpose == "customer" }
        let business = participants.first { $0.purpose != "customer" }
        let transcript = messages.map { m -> RecordingDocument.Message in
            let sender = byId[m.participantId]
            let isCustomer = sender?.purpose == "customer"
            let to = isCustomer ? (business?.address ?? "") : (customer?.address ?? "")
            return RecordingDocument.Message(
                from: sender?.address ?? "",
                to: to,
                timestamp: Timestamp.parse(m.timestamp).map(Timestamp.format) ?? m.timestamp,
                id: m.id,
                purpose: sender?.purpose ?? "customer",
                participantId: m.participantId,
                queue: isCustomer ? nil : .init(id: queue.id, selfUri: "/api/v2/routing/queues/\(queue.id)"),
                messageText: m.text ?? "",
                messageMediaAttachments: (m.media ?? []).map {
                    .init(url: $0.url, mediaType: $0.mediaType, contentLength: $0.contentLength, name: $0.name, id: $0.id)
                },
                messageStickerAttachments: (m.stickers ?? []).map { .init(url: $0.url, id: $0.id) },
                fromUser: sender?.userId.map { .init(id: $0, name: sender?.name ?? "", selfUri: "/api/v2/users/\($0)") },
                fromExternalContact: isCustomer
                    ? sender?.externalContactId.map { .init(id: $0, selfUri: "/api/v2/externalcontacts/contacts/\($0)") }
                    : nil
            )
        }
        let start = startDate.map(Timestamp.format) ?? startTime
        let end = endDate.map(Timestamp.format) ?? endTime
        return RecordingDocument(
            id: recordingId, conversationId: id, name: "\(messengerType) conversation \(id)",
            startTime: start, endTime: end, media: "message", messagingTranscript: transcript,
            fileState: "AVAILABLE", creationTime: end, recordingFileRole: "CUSTOMER_EXPERIENCE",
            exportDate: nil, exportedDate: exportedDate, archiveDate: nil, deleteDate: nil, selfUri: recordingUri
        )
    }
}

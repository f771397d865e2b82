/// The `{recordingId}.json_metadata.json` object written next to each exported transcript (CONTRACT §1).
public struct RecordingSidecar: Sendable, Equatable, Codable {
    public struct Participant: Sendable, Equatable, Codable {
        public var participantId: String
        public var purpose: String
        public var name: String
        public var address: String
        public var userId: String?
        public var externalContactId: String?
    }

    public var conversationId: String
    public var recordingId: String
    public var mediaType: String
    public var messageType: String
    public var startTime: String
    public var endTime: String
    public var participants: [Participant]
    public var userIds: [String]
    public var queue: Conversation.Queue
    public var exportJobId: String
    public var caseId: String?
    public var orgId: String

    public init(conversation c: Conversation, jobId: String, caseId: String?) {
        conversationId = c.id
        recordingId = c.recordingId
        mediaType = "Message"
        messageType = c.messengerType
        startTime = c.startDate.map(Timestamp.format) ?? c.startTime
        endTime = c.endDate.map(Timestamp.format) ?? c.endTime
        participants = c.participants.map {
            Participant(participantId: $0.id, purpose: $0.purpose, name: $0.name, address: $0.address,
                        userId: $0.userId, externalContactId: $0.externalContactId)
        }
        userIds = c.participants.compactMap(\.userId)
        queue = c.queue
        exportJobId = jobId
        self.caseId = caseId
        orgId = c.orgId
    }
}

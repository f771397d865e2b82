/// The Genesys `RecordingMetadata`: a recording without its transcript.
public struct RecordingMetadataDocument: Sendable, Equatable, Codable {
    public var id: String
    public var conversationId: String
    public var name: String
    public var startTime: String
    public var endTime: String
    public var media: String
    public var fileState: String
    public var creationTime: String
    public var recordingFileRole: String
    public var exportDate: String?
    public var exportedDate: String?
    public var archiveDate: String?
    public var deleteDate: String?
    public var selfUri: String

    public init(_ r: RecordingDocument) {
        id = r.id
        conversationId = r.conversationId
        name = r.name
        startTime = r.startTime
        endTime = r.endTime
        media = r.media
        fileState = r.fileState
        creationTime = r.creationTime
        recordingFileRole = r.recordingFileRole
        exportDate = r.exportDate
        exportedDate = r.exportedDate
        archiveDate = r.archiveDate
        deleteDate = r.deleteDate
        selfUri = "/api/v2/conversations/\(r.conversationId)/recordingmetadata/\(r.id)"
    }

    enum CodingKeys: String, CodingKey {
        case id, conversationId, name, startTime, endTime, media, fileState, creationTime
        case recordingFileRole, exportDate, exportedDate, archiveDate, deleteDate, selfUri
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(conversationId, forKey: .conversationId)
        try c.encode(name, forKey: .name)
        try c.encode(startTime, forKey: .startTime)
        try c.encode(endTime, forKey: .endTime)
        try c.encode(media, forKey: .media)
        try c.encode(fileState, forKey: .fileState)
        try c.encode(creationTime, forKey: .creationTime)
        try c.encode(recordingFileRole, forKey: .recordingFileRole)
        try c.encode(exportDate, forKey: .exportDate)
        try c.encode(exportedDate, forKey: .exportedDate)
        try c.encode(archiveDate, forKey: .archiveDate)
        try c.encode(deleteDate, forKey: .deleteDate)
        try c.encode(selfUri, forKey: .selfUri)
    }
}

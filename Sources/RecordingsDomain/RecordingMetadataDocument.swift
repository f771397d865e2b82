/// The Genesys `RecordingMetadata`: a recording without its transcript, under its own `selfUri`.
public struct RecordingMetadataDocument: Sendable, Equatable, Encodable {
    public var recording: RecordingDocument
    public var selfUri: String

    public init(_ r: RecordingDocument) {
        recording = r
        selfUri = "/api/v2/conversations/\(r.conversationId)/recordingmetadata/\(r.id)"
    }

    public func encode(to encoder: any Encoder) throws {
        try recording.encode(to: encoder, transcript: false, selfUri: selfUri)
    }
}

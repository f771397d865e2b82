import Hummingbird
import RecordingsDomain

/// `/api/v2/conversations/{conversationId}` and its `/recordings…` over the seeded conversations (CONTRACT §3, §15).
/// Lists are plain JSON arrays, as Genesys answers them.
struct ConversationRoutes {
    let services: AppServices
    static let viewPermissions = ["recording:recording:view", "recording:recordingSegment:view"]

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("conversations/{conversationId}", use: conversation)
        api.get("conversations/{conversationId}/recordings", use: recordings)
        api.get("conversations/{conversationId}/recordings/{recordingId}", use: recording)
        api.get("conversations/{conversationId}/recordingmetadata", use: metadataList)
        api.get("conversations/{conversationId}/recordingmetadata/{recordingId}", use: metadata)
    }

    func document(_ context: AppRequestContext, matchRecording: Bool) async throws -> RecordingDocument {
        let caller = try context.caller()
        try caller.requireAny(Self.viewPermissions)
        let id = context.path("conversationId")
        guard let stored = try await services.db.conversation(id: id, orgId: caller.orgId) else {
            throw GenesysError.notFound("Conversation \(id) was not found")
        }
        var doc = stored.conversation.recording(exportedDate: stored.exportedDate.map { Timestamp.format(millis: $0) })
        if let archived = stored.archivedDate {
            doc.fileState = "ARCHIVED"
            doc.archiveDate = Timestamp.format(millis: archived)
        }
        if matchRecording {
            let rid = context.path("recordingId")
            guard rid == doc.id else { throw GenesysError.notFound("Recording \(rid) was not found in conversation \(id)") }
        }
        return doc
    }

    /// `GET /api/v2/conversations/{id}`: any client of the org may read it (the platform asks no permission of
    /// a conversation's reader beyond its org); a deleted one, or another org's, is not found.
    @Sendable func conversation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let id = context.path("conversationId")
        guard let stored = try await services.db.conversation(id: id, orgId: caller.orgId) else {
            throw GenesysError.notFound("Conversation \(id) was not found")
        }
        return try JSONResponse.make(ConversationDTO(stored.conversation))
    }

    @Sendable func recordings(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make([try await document(context, matchRecording: false)])
    }

    @Sendable func recording(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(try await document(context, matchRecording: true))
    }

    @Sendable func metadataList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make([RecordingMetadataDocument(try await document(context, matchRecording: false))])
    }

    @Sendable func metadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(RecordingMetadataDocument(try await document(context, matchRecording: true)))
    }
}

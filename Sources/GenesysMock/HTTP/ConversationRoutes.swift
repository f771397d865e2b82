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
        api.put("conversations/{conversationId}/recordings/{recordingId}", use: updateRetention)
        api.get("conversations/{conversationId}/recordingmetadata", use: metadataList)
        api.get("conversations/{conversationId}/recordingmetadata/{recordingId}", use: metadata)
    }

    func document(_ context: AppRequestContext, matchRecording: Bool) async throws -> RecordingDocument {
        let caller = try context.caller()
        try caller.requireAny(Self.viewPermissions)
        let id = context.path("conversationId")
        try await services.applyRetention()
        guard let stored = try await services.db.conversation(id: id, orgId: caller.orgId) else {
            throw GenesysError.notFound("Conversation \(id) was not found")
        }
        var doc = stored.conversation.recording(exportedDate: stored.exportedDate.map { Timestamp.format(millis: $0) })
        Self.applyRetention(stored.retention, to: &doc, now: services.now(caller.orgId))
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
        try await services.applyRetention()
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

    /// `PUT …/recordings/{recordingId}`: the retention dates of a whole `Recording` (the rest of it is ignored); a new
    /// archive date on an archived recording restores it until then. View is always needed, `editRetention` to
    /// change dates, `recording:recording:restore` to restore.
    @Sendable func updateRetention(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.requireAny(Self.viewPermissions)
        let (cid, rid) = (context.path("conversationId"), context.path("recordingId"))
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        var update: RetentionUpdate
        switch RetentionUpdate.parse(body) {
        case .failure(let f): throw GenesysError.validation(f)
        case .success(let u): update = u
        }
        if let raw = request.uri.queryParameters["clearExport"] {
            guard raw == "true" || raw == "false" else {
                throw GenesysError.badRequest("clearExport must be true or false", field: "clearExport", code: "invalid.value")
            }
            if raw == "true" { update.exportDate = .clear }
        }
        let now = services.now(caller.orgId)
        try await services.applyRetention()
        guard let current = try await services.db.conversation(id: cid, orgId: caller.orgId), current.conversation.recordingId == rid else {
            throw GenesysError.notFound("Recording \(rid) was not found in conversation \(cid)")
        }
        let restoring = current.retention.archivedAt != nil && (update.restore || update.archiveDate != .keep)
        if restoring { try caller.require("recording:recording:restore") }
        if update.changesDates, !restoring { try caller.require("recording:recording:editRetention") }
        let delay = Int64(services.config.restoreMinutes * 60_000)
        switch try await services.db.updateRetention(orgId: caller.orgId, conversationId: cid, recordingId: rid, update: update, now: now,
                                                     restoreDelay: delay, clientId: caller.clientId) {
        case nil: throw GenesysError.notFound("Recording \(rid) was not found in conversation \(cid)")
        case .failure(let f)?: throw GenesysError.validation(f)
        case .success?: return try JSONResponse.make(try await document(context, matchRecording: true))
        }
    }

    @Sendable func metadataList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make([RecordingMetadataDocument(try await document(context, matchRecording: false))])
    }

    @Sendable func metadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(RecordingMetadataDocument(try await document(context, matchRecording: true)))
    }

    /// The retention dates and file state on the recording as the platform shows them.
    static func applyRetention(_ r: RecordingRetention, to doc: inout RecordingDocument, now: Int64) {
        func date(_ d: Int64?) -> String? { d.map { Timestamp.format(millis: $0) } }
        doc.fileState = r.fileState(now: now)
        doc.archiveDate = date(r.archivedAt != nil && doc.fileState == "ARCHIVED" ? r.archivedAt : r.archiveDate)
        doc.deleteDate = date(r.deleteDate)
        doc.exportDate = date(r.exportDate)
        if doc.fileState == "RESTORING" || doc.fileState == "RESTORED" { doc.restoreExpirationTime = date(r.restoreUntil) }
        if r.archivedAt != nil { doc.archiveMedium = "CLOUDARCHIVE" }
    }
}

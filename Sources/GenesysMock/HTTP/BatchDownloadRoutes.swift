import Hummingbird
import MockStore
import RecordingsDomain

/// Batch downloads, as Genesys's recordings downloader uses them (CONTRACT §15): `POST
/// /api/v2/recording/batchrequests` (at most 100 items) → `{id, selfUri}`; `GET …/{id}` by the client that submitted
/// it, whose results fill in on the mock clock, each with a `resultUrl` (served by `DownloadRoutes`, no
/// Authorization header) or an `errorMsg`. The URLs' lifetime is the org's `recordingBatchDownloadUrlTtl`.
struct BatchDownloadRoutes {
    let services: AppServices

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("recording/batchrequests", use: submit)
        api.get("recording/batchrequests/{jobId}", use: status)
        api.get("recording/settings", use: settings)
        api.put("recording/settings", use: updateSettings)
    }

    struct Submitted: Encodable, Sendable {
        var id: String
        var selfUri: String
    }

    /// `BatchDownloadJobStatusResult`, with the results readable now.
    struct Status: Encodable, Sendable {
        struct Result: Encodable, Sendable {
            var conversationId: String
            var recordingId: String
            var resultUrl: String?
            var contentType: String?
            var errorMsg: String?
        }
        var id: String
        var jobId: String
        var expectedResultCount: Int
        var resultCount: Int
        var errorCount: Int
        var status: String
        var results: [Result]
        var selfUri: String
    }

    static func selfUri(_ id: String) -> String { "/api/v2/recording/batchrequests/\(id)" }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.requireAny(ConversationRoutes.viewPermissions)
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        let items: [BatchDownloadItem]
        switch BatchDownloadRequestValidator.validate(body) {
        case .failure(let f): throw GenesysError.validation(f)
        case .success(let i): items = i
        }
        let id = RandomID.uuid()
        try await services.applyRetention()
        let pacing = BatchDownloadPacing(createdMillis: services.now(caller.orgId), exportRate: services.config.exportRate)
        try await services.db.createBatchDownload(id: id, orgId: caller.orgId, clientId: caller.clientId, userId: caller.userId,
                                                  items: items, pacing: pacing, token: DownloadRoutes.newToken)
        return try JSONResponse.make(Submitted(id: id, selfUri: Self.selfUri(id)))
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let id = context.path("jobId")
        guard let batch = try await services.db.batchDownload(id: id, orgId: caller.orgId) else {
            throw GenesysError.notFound("Batch request \(id) was not found")
        }
        guard batch.clientId == caller.clientId else {
            throw GenesysError(.forbidden, "not.authorized",
                               "Only the client that submitted batch request \(id) may read it; this is client \(caller.clientId)")
        }
        let now = services.now(caller.orgId)
        let ready = batch.pacing.readyCount(total: batch.results.count, now: now)
        let origin = DownloadRoutes.origin(request, config: services.config)
        let results = batch.results.prefix(ready).map { r in
            Status.Result(conversationId: r.conversationId, recordingId: r.recordingId,
                          resultUrl: r.token.map { origin + DownloadRoutes.path($0) },
                          contentType: r.token == nil ? nil : DownloadRoutes.contentType, errorMsg: r.errorMsg)
        }
        return try JSONResponse.make(Status(
            id: id, jobId: id, expectedResultCount: batch.results.count, resultCount: ready,
            errorCount: results.filter { $0.errorMsg != nil }.count,
            status: ready == batch.results.count ? "Completed" : "InProgress", results: Array(results), selfUri: Self.selfUri(id)))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        // The SDK's `createDefault`: the mock always has settings, but the flag must be a boolean.
        for value in request.uri.queryParameters.getAll("createDefault") where value != "true" && value != "false" {
            throw GenesysError.badRequest("createDefault must be true or false", field: "createDefault", code: "invalid.value")
        }
        return try JSONResponse.make(try await services.db.recordingSettings(orgId: caller.orgId))
    }

    @Sendable func updateSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        let current = try await services.db.recordingSettings(orgId: caller.orgId)
        switch RecordingSettingsValidator.apply(body, to: current) {
        case .failure(let f):
            throw GenesysError.validation(f)
        case .success(let (updated, fields)):
            let needed = Set(fields.compactMap { RecordingSettingsValidator.permissions[$0] }).sorted()
            if needed.isEmpty { try caller.requireAny(Set(RecordingSettingsValidator.permissions.values).sorted()) }
            let missing = needed.filter { !caller.permissions.contains($0) }
            if !missing.isEmpty { throw GenesysError.missingPermissions(missing) }
            try await services.db.setRecordingSettings(updated, orgId: caller.orgId, clientId: caller.clientId,
                                                       now: services.now(caller.orgId))
            return try JSONResponse.make(updated)
        }
    }
}

import Foundation
import Hummingbird
import MockStore
import DocumentCodecs
import RecordingsDomain

/// `/api/v2/recordings/exports` (CONTRACT §1).
struct ExportRoutes: JobFaceRoutes {
    let services: AppServices
    static let idParameter = "exportId"
    static let kind = JobKind.export
    static let noun = "Export"
    static let base = "/api/v2/recordings/exports"

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("recordings/exports", use: create)
        api.get("recordings/exports", use: list)
        api.get("recordings/exports/{exportId}", use: get)
        api.delete("recordings/exports/{exportId}", use: cancel)
        api.get("recordings/exports/{exportId}/failedrecordings", use: failed)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:add")
        let now = services.now(caller.orgId)
        do {
            let valid = try await Self.validated(request, orgId: caller.orgId, services: services)
            let job = JobRecord(id: RandomID.uuid(), orgId: caller.orgId, kind: .export,
                                requestJSON: try CanonicalJSON.string(valid), caseId: valid.heldCaseId,
                                bucket: valid.storage.bucketName, region: valid.storage.region, prefix: valid.storage.prefix,
                                userId: caller.userId, clientId: caller.clientId, dateCreated: now,
                                selection: JobSelection(valid.filter))
            try await services.db.createJob(job, auditFields: [
                "bucket": .string(job.bucket), "region": .string(job.region), "prefix": job.prefix.map(JSONValue.string) ?? .null,
                "clientId": .string(caller.clientId), "reason": valid.legalHold?.reason.map(JSONValue.string) ?? .null,
            ])
            services.wake.signal()
            context.logger.info("export accepted", metadata: ["export.id": "\(job.id)", "case.id": "\(job.caseId ?? "-")"])
            return try JSONResponse.make(ExportJobDTO(job, waiting: services.waitingReason), status: .accepted)
        } catch let failure as ValidationFailure {
            try await services.db.auditRejection(orgId: caller.orgId, time: now, caseId: nil, code: failure.code,
                                                 fields: failure.details.map(\.fieldName))
            throw GenesysError.validation(failure)
        } catch let e as GenesysError {
            try await services.db.auditRejection(orgId: caller.orgId, time: now, caseId: nil, code: e.code, fields: ["body"])
            throw e
        }
    }

    /// The request's body checked by the schema rules, then (only if otherwise valid) its case id against the org's
    /// hold registry. Throws `ValidationFailure` or `GenesysError`. `POST /__admin/exports/validate` runs the same.
    static func validated(_ request: Request, orgId: String, services: AppServices) async throws -> ExportRequest {
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        let valid = try ExportRequestValidator.validate(body).get()
        if let caseId = valid.heldCaseId {
            let status = try await services.db.holdStatus(orgId: orgId, caseId: caseId)
            if let failure = LegalHoldRules.registryFailure(caseId: caseId, status: status) { throw failure }
        }
        return valid
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:view")
        let paging = try Paging(request)
        var query: [(String, String)] = []
        var state: JobState?
        if let raw = request.uri.queryParameters["state"] {
            guard let s = JobState(rawValue: String(raw).uppercased()), s != .ready else {
                throw GenesysError.badRequest("state must be one of PENDING, PROCESSING, FULFILLED, FAILED, CANCELLED, not '\(raw)'",
                                              field: "state", code: "invalid.value")
            }
            state = s
            query.append(("state", s.rawValue))
        }
        let caseId = request.uri.queryParameters["caseId"].map(String.init)
        if let caseId { query.append(("caseId", caseId)) }
        let key = "exports|\(caller.orgId)|\(state?.rawValue ?? "")|\(paging.pageSize)|\(paging.pageNumber)|\(caseId.map { "=" + $0 } ?? "")"
        return try await services.cachedJSON(key, watching: .job) {
            let page = try await services.db.jobs(orgId: caller.orgId, kind: .export, state: state, caseId: caseId,
                                                  limit: paging.pageSize, offset: paging.offset)
            let entities = page.jobs.map { ExportJobDTO($0, waiting: services.waitingReason) }
            return try JSONResponse.body(PageEnvelope(entities: entities, paging: paging, total: page.total,
                                                      path: Self.base, query: query))
        }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:view")
        return try await services.cachedJSON("export|\(caller.orgId)|\(context.path("exportId"))", watching: .job) {
            try JSONResponse.body(ExportJobDTO(try await find(context, caller), waiting: services.waitingReason))
        }
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:delete")
        let id = try await find(context, caller).id
        switch try await services.db.cancelJob(id: id, orgId: caller.orgId, now: services.now(caller.orgId)) {
        case .cancelled(let job):
            return try JSONResponse.make(ExportJobDTO(job, waiting: services.waitingReason), status: .accepted)
        case .notFound:
            throw GenesysError.notFound("Export \(id) was not found")
        case .conflict(let state):
            throw GenesysError(.conflict, "export.state.conflict", "Export \(id) has already ended (\(state.rawValue)) and cannot be cancelled")
        }
    }
}

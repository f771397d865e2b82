import DocumentCodecs
import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// The async form of conversation discovery, for history longer than the details query's 7 days (CONTRACT §15):
/// submit an `AsyncConversationQuery`, watch the job go QUEUED → FULFILLED on the mock clock (paced like exports;
/// at export rate 0 at once), read its results a cursor page at a time, cancel it, ask how recent the data is.
struct AnalyticsJobRoutes {
    let services: AppServices
    static let defaultPageSize = 100
    static let maxPageSize = 1000

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("analytics/conversations/details/jobs", use: submit)
        api.get("analytics/conversations/details/jobs/availability", use: availability)
        api.get("analytics/conversations/details/jobs/{jobId}", use: status)
        api.delete("analytics/conversations/details/jobs/{jobId}", use: cancel)
        api.get("analytics/conversations/details/jobs/{jobId}/results", use: results)
    }

    struct Submitted: Encodable { var jobId: String }

    struct Status: Encodable {
        var state: String
        var errorMessage: String?
        var expirationDate: String?
        var submissionDate: String
        var completionDate: String?
    }

    func query(_ body: JSONValue) throws -> ConversationDetailsQuery {
        switch ConversationDetailsQueryValidator.validate(body, form: .asyncJob) {
        case .failure(let f): throw GenesysError.validation(f)
        case .success(let q): return q
        }
    }

    func job(_ context: AppRequestContext) async throws -> AppDatabase.DetailsJob {
        let caller = try context.caller()
        try caller.require(AnalyticsRoutes.permission)
        let id = context.path("jobId")
        guard let job = try await services.db.detailsJob(id: id, orgId: caller.orgId) else {
            throw GenesysError.notFound("Async details job \(id) was not found")
        }
        return job
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require(AnalyticsRoutes.permission)
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        _ = try query(body)
        let id = RandomID.uuid()
        let times = DetailsJobTimes(submitted: services.now(caller.orgId), queuedMillis: services.config.exportRate > 0 ? 1000 : 0,
                                    cancelled: nil)
        try await services.db.createDetailsJob(.init(id: id, orgId: caller.orgId, clientId: caller.clientId,
                                                     query: try CanonicalJSON.string(body), times: times))
        return try JSONResponse.make(Submitted(jobId: id), status: .accepted)
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let job = try await job(context)
        let times = job.times
        let state = times.state(now: services.now(job.orgId))
        let completed = state == .fulfilled || state == .expired
        return try JSONResponse.make(Status(
            state: state.rawValue, errorMessage: nil,
            expirationDate: completed ? Timestamp.format(millis: times.expiration) : nil,
            submissionDate: Timestamp.format(millis: times.submitted),
            completionDate: completed ? Timestamp.format(millis: times.completion) : (state == .cancelled ? times.cancelled.map(Timestamp.format(millis:)) : nil)))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let job = try await job(context)
        try await services.db.cancelDetailsJob(id: job.id, orgId: job.orgId, now: services.now(job.orgId))
        return Response(status: .noContent)
    }

    @Sendable func availability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require(AnalyticsRoutes.permission)
        return try JSONResponse.make(["dataAvailabilityDate": Timestamp.format(millis: services.now(caller.orgId))])
    }

    @Sendable func results(_ request: Request, context: AppRequestContext) async throws -> Response {
        let job = try await job(context)
        let now = services.now(job.orgId)
        let state = job.times.state(now: now)
        guard state == .fulfilled else {
            throw GenesysError.badRequest("The results of job \(job.id) can be read once it is FULFILLED; it is \(state.rawValue)",
                                          field: "jobId", code: "invalid.value")
        }
        let pageSize = try Paging.int(request, "pageSize", default: Self.defaultPageSize, range: 1...Self.maxPageSize)
        var cursor: DetailsCursor?
        if let raw = request.uri.queryParameters["cursor"] {
            guard let parsed = DetailsCursor(encoded: String(raw)) else {
                throw GenesysError.badRequest("cursor is not one this job's results gave", field: "cursor", code: "invalid.value")
            }
            cursor = parsed
        }
        guard let body = JSONValue.parse(Data(job.query.utf8)) else { throw GenesysError.internalError() }
        let page = try await services.db.detailsJobPage(orgId: job.orgId, query: try query(body), after: cursor, pageSize: pageSize)
        // `AnalyticsConversationAsyncQueryResponse` {conversations, cursor?, dataAvailabilityDate}, written by hand.
        return JSONResponse.make(body: AnalyticsConversationDTO.page(page.conversations) { w in
            if let cursor = page.next?.encoded {
                w.append(contentsOf: Array(",\"cursor\":".utf8))
                FastJSON.string(cursor, into: &w)
            }
            w.append(contentsOf: Array(",\"dataAvailabilityDate\":".utf8))
            FastJSON.string(Timestamp.format(millis: now), into: &w)
        })
    }
}

import Foundation
import Hummingbird
import MockStore
import DocumentCodecs
import RecordingsDomain

/// `/api/v2/recording/jobs`: the real platform's bulk-job API (CONTRACT §2), on the same job machine and sink
/// as the export API, so that the official SDKs work unchanged.
struct RecordingJobRoutes: JobFaceRoutes {
    let services: AppServices
    static let idParameter = "jobId"
    static let kind = JobKind.recordingJob
    static let noun = "Recording job"
    static let base = "/api/v2/recording/jobs"
    static let executePermissions = ["recording:job:edit", "recording:recording:editRetention", "recording:screenRecording:editRetention"]

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("recording/jobs", use: create)
        api.get("recording/jobs", use: list)
        api.get("recording/jobs/{jobId}", use: get)
        api.put("recording/jobs/{jobId}", use: execute)
        api.delete("recording/jobs/{jobId}", use: cancel)
        api.get("recording/jobs/{jobId}/failedrecordings", use: failed)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:add")
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        let plan: RecordingJobPlan
        switch RecordingJobsQueryValidator.validate(body) {
        case .failure(let f): throw GenesysError.validation(f)
        case .success(let p): plan = p
        }
        var bucket = "", region = ""
        if let integrationId = plan.integrationId, plan.action == .export {
            guard let integration = try await services.db.integration(id: integrationId, orgId: caller.orgId) else {
                throw GenesysError.badRequest("integrationId \(integrationId) does not name an aws-s3-recording-bulk-actions-integration of this organization",
                                              field: "integrationId")
            }
            bucket = integration.bucketName
            region = integration.region
        }
        let job = JobRecord(id: RandomID.uuid(), orgId: caller.orgId, kind: .recordingJob,
                            requestJSON: try CanonicalJSON.string(plan.echo), caseId: nil, bucket: bucket, region: region,
                            prefix: nil, userId: caller.userId, clientId: caller.clientId, dateCreated: services.now(caller.orgId),
                            action: plan.action.rawValue, selection: plan.selection)
        try await services.db.createRecordingJob(job)
        services.wake.signal()
        return try JSONResponse.make(RecordingJobDTO(job, waiting: services.waitingReason), status: .accepted)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:view")
        let paging = try Paging(request)
        let q = request.uri.queryParameters
        var query: [(String, String)] = []
        var state: JobState?
        if let raw = q["state"] {
            guard let s = JobState(rawValue: String(raw).uppercased()) else {
                throw GenesysError.badRequest("state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))",
                                              field: "state", code: "invalid.value")
            }
            state = s
            query.append(("state", s.rawValue))
        }
        var action: String?
        if let raw = q["jobType"], !raw.isEmpty {
            guard let a = RecordingJobPlan.Action(rawValue: String(raw).uppercased()) else {
                throw GenesysError.badRequest("jobType must be EXPORT, DELETE or ARCHIVE", field: "jobType", code: "invalid.value")
            }
            action = a.rawValue
            query.append(("jobType", a.rawValue))
        }
        let mine = try Self.bool(q["showOnlyMyJobs"], "showOnlyMyJobs") ?? false
        if mine { query.append(("showOnlyMyJobs", "true")) }
        let sortBy = q["sortBy"].map(String.init) ?? "userId"
        guard sortBy == "userId" || sortBy == "dateCreated" else {
            throw GenesysError.badRequest("sortBy must be userId or dateCreated", field: "sortBy", code: "invalid.value")
        }
        query.append(("sortBy", sortBy))
        _ = try Self.bool(q["includeTotal"], "includeTotal")
        let page = try await services.db.recordingJobs(orgId: caller.orgId, state: state, action: action,
                                                       userId: mine ? caller.userId : nil, sortByUser: sortBy == "userId",
                                                       limit: paging.pageSize, offset: paging.offset)
        let entities = page.jobs.map { RecordingJobDTO($0, waiting: services.waitingReason) }
        return try JSONResponse.make(PageEnvelope(entities: entities, paging: paging, total: page.total,
                                                  path: Self.base, query: query))
    }

    static func bool(_ raw: Substring?, _ name: String) throws -> Bool? {
        guard let raw else { return nil }
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default: throw GenesysError.badRequest("\(name) must be true or false", field: name, code: "invalid.value")
        }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:view")
        return try await services.cachedJSON("recordingjob|\(caller.orgId)|\(context.path("jobId"))", watching: .job) {
            try JSONResponse.body(RecordingJobDTO(try await find(context, caller), waiting: services.waitingReason))
        }
    }

    @Sendable func execute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        for p in Self.executePermissions { try caller.require(p) }
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        guard case .object(let o) = body, o["state"] == .string("PROCESSING"), o.keys.allSatisfy({ $0 == "state" }) else {
            throw GenesysError.badRequest("The body must be {\"state\": \"PROCESSING\"} (an ExecuteRecordingJobsQuery)", field: "state")
        }
        let job = try await find(context, caller)
        let updated = try await services.db.executeRecordingJob(job.id, orgId: caller.orgId, userId: caller.userId,
                                                                now: services.now(caller.orgId))
        services.wake.signal()
        return try JSONResponse.make(RecordingJobDTO(updated, waiting: services.waitingReason))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:delete")
        let job = try await find(context, caller)
        switch try await services.db.cancelJob(id: job.id, orgId: caller.orgId, now: services.now(caller.orgId)) {
        case .cancelled(let j): return try JSONResponse.make(RecordingJobDTO(j, waiting: services.waitingReason), status: .accepted)
        case .notFound: throw GenesysError.notFound("Recording job \(job.id) was not found")
        case .conflict(let s):
            throw GenesysError(.conflict, "recording.job.state.conflict", "Recording job \(job.id) has already ended (\(s.rawValue)) and cannot be cancelled")
        }
    }
}

import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// `/__admin/jobs`, `/__admin/jobs/{jobId}/verify` and `/__admin/exports/validate`: what a trainer's console (or a
/// test) needs beyond the Genesys API: every job of both faces with its progress, custody verification of an
/// export in the sink, and the export API's own validation without creating a job.
struct JobAdminRoutes {
    let services: AppServices

    func register(on router: RouteRegistrar) {
        router.get("__admin/jobs", use: jobs)
        router.post("__admin/jobs/{jobId}/verify", use: verify)
        router.post("__admin/exports/validate", use: validate)
    }

    struct JobDTO: Encodable {
        var id: String
        var orgId: String
        /// `export` (`/api/v2/recordings/exports`) or `recording_job` (`/api/v2/recording/jobs`).
        var face: String
        var action: String
        var state: String
        var caseId: String?
        var bucket: String
        var prefix: String?
        var dateCreated: String
        var dateCompleted: String?
        var totalRecordings: Int
        var processed: Int
        var skipped: Int
        var failed: Int
        var percentProgress: Int
        var manifestKey: String?
        var errorMessage: String?

        init(_ j: JobRecord, waiting: String?) {
            id = j.id
            orgId = j.orgId
            face = j.progress.kind.rawValue
            action = j.action
            state = j.state.rawValue
            caseId = j.caseId
            bucket = j.bucket
            prefix = j.prefix
            dateCreated = Timestamp.format(millis: j.dateCreated)
            dateCompleted = j.dateCompleted.map { Timestamp.format(millis: $0) }
            totalRecordings = j.progress.totalRecordings
            processed = j.progress.processed
            skipped = j.progress.skipped
            failed = j.progress.failed
            percentProgress = j.progress.percentProgress
            manifestKey = j.manifestKey
            errorMessage = j.progress.errorMessage ?? (j.state.isTerminal ? nil : waiting)
        }
    }

    @Sendable func jobs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        var limit = 100
        if let raw = q["limit"] {
            guard let n = Int(raw), (1...1000).contains(n) else { throw AdminError(.badRequest, "bad.request", "limit must be from 1 to 1000") }
            limit = n
        }
        // An unknown orgId is refused whether or not an id is asked for too.
        var orgId: String?
        if let raw = q["orgId"] { orgId = try await services.db.orgId(String(raw)) }
        if let id = q["id"] {
            let job = try await services.db.consoleJob(id: String(id)).flatMap { orgId == nil || $0.orgId == orgId ? $0 : nil }
            return try JSONResponse.make(["jobs": job.map { [JobDTO($0, waiting: services.waitingReason)] } ?? []])
        }
        let jobs = try await services.db.consoleJobs(orgId: orgId, caseId: q["caseId"].map(String.init), limit: limit)
        return try JSONResponse.make(["jobs": jobs.map { JobDTO($0, waiting: services.waitingReason) }])
    }

    struct VerifyResult: Encodable {
        struct Finding: Encodable { var status: String; var key: String; var detail: String }
        var jobId: String
        /// True when every object, the manifest and the custody chain are intact.
        var intact: Bool
        var summary: String
        var objects: Int
        var findingsShown: Int
        /// Every object that is not intact, then intact ones, up to 1,000 in all.
        var findings: [Finding]
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let jobId = context.path("jobId")
        guard let job = try await services.db.consoleJob(id: jobId) else {
            throw AdminError(.notFound, "not.found", "No job \(jobId)")
        }
        guard let key = job.manifestKey else {
            let why = job.progress.kind == .recordingJob ? "a recording job writes no manifest"
                : job.state.isTerminal ? "it ended \(job.state.rawValue) without a manifest"
                : "it is \(job.state.rawValue): its manifest is written when it is FULFILLED"
            throw AdminError(.conflict, "conflict", "Job \(jobId) has nothing to verify: \(why)")
        }
        let bucket = try await services.db.bucket(named: job.bucket)
        if let remote = bucket?.remote, let bucket {
            return try JSONResponse.make(try await verifyRemote(jobId: jobId, bucket: bucket, remote: remote, manifestKey: key))
        }
        let path = try services.sink.path(bucket: job.bucket, key: key)
        let result = await Self.verifyResult(jobId: jobId) { report in
            (await ExportVerification.run(manifestPath: path, source: LocalObjects(), report: report), nil)
        }
        return try JSONResponse.make(result)
    }

    static let findingsLimit = 1000

    /// Verifies an export kept in a remote store: its manifest and custody file are fetched into the data folder's
    /// `tmp` (removed after), its objects read from the store.
    func verifyRemote(jobId: String, bucket: AppDatabase.BucketInfo, remote: RemoteBucket, manifestKey: String) async throws -> VerifyResult {
        let client: RemoteS3Client
        switch RemoteS3Client.make(bucket: bucket.name, region: bucket.region, remote: remote) {
        case .success(let c): client = c
        case .failure(let error): throw AdminError(.conflict, "conflict", "Cannot reach bucket \(bucket.name): \(error)")
        }
        let scratch = services.sink.tmpDir + "/verify-\(RandomID.uuid())"
        return await Self.verifyResult(jobId: jobId) { report in
            await RemoteVerification.run(client: client, manifestKey: manifestKey, scratch: scratch, report: report)
        }
    }

    /// The route's answer for one verification: every finding that is not intact (and the chain's notes), then
    /// intact ones, up to `findingsLimit`; a note first when the store stopped answering.
    static func verifyResult(jobId: String,
                             _ verify: ((ExportVerification.Report) -> Void) async -> (ExportVerification.Outcome, storeTrouble: String?)) async -> VerifyResult {
        var bad: [VerifyResult.Finding] = []
        var good: [VerifyResult.Finding] = []
        var objects = 0
        let (outcome, trouble) = await verify { part in
            switch part {
            case .note(let text):
                if bad.count < findingsLimit { bad.append(.init(status: "NOTE", key: "", detail: text)) }
            case .object(let f):
                objects += 1
                let finding = VerifyResult.Finding(status: f.status.rawValue, key: f.key, detail: f.detail)
                if f.status == .intact {
                    if good.count < findingsLimit { good.append(finding) }
                } else if bad.count < findingsLimit {
                    bad.append(finding)
                }
            }
        }
        var findings = Array((bad + good).prefix(findingsLimit))
        if let trouble { findings.insert(.init(status: "NOTE", key: "", detail: "the store stopped answering: \(trouble)"), at: 0) }
        return VerifyResult(jobId: jobId, intact: outcome.exitCode == 0, summary: outcome.text, objects: objects,
                            findingsShown: findings.count, findings: findings)
    }

    struct Validation: Encodable {
        var valid: Bool
        /// What `POST /api/v2/recordings/exports` would answer: 202 when valid, else the error's status.
        var status: Int
        /// The request as the server reads it (when valid).
        var request: ExportRequest?
        /// The exact ErrorBody the export API would send (when invalid).
        var error: GenesysError.Body?
    }

    @Sendable func validate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let orgId = try await services.db.orgId(request.uri.queryParameters["orgId"].map(String.init))
        do {
            let valid = try await ExportRoutes.validated(request, orgId: orgId, services: services)
            return try JSONResponse.make(Validation(valid: true, status: 202, request: valid, error: nil))
        } catch let failure as ValidationFailure {
            let e = GenesysError.validation(failure)
            return try JSONResponse.make(Validation(valid: false, status: Int(e.status.code), request: nil, error: e.body(contextId: context.correlationId)))
        } catch let e as GenesysError {
            return try JSONResponse.make(Validation(valid: false, status: Int(e.status.code), request: nil, error: e.body(contextId: context.correlationId)))
        }
    }
}

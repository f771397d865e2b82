import Hummingbird
import MockStore
import RecordingsDomain

/// What the routes of the job machine's two faces (`/api/v2/recordings/exports`, `/api/v2/recording/jobs`)
/// share: finding a job of the caller's org through one face, and its failed recordings.
protocol JobFaceRoutes: Sendable {
    static var base: String { get }
    /// The path parameter that names the job.
    static var idParameter: String { get }
    static var kind: JobKind { get }
    /// What the face calls a job in its 404 ("Export", "Recording job").
    static var noun: String { get }
    var services: AppServices { get }
}

extension JobFaceRoutes {
    @Sendable func failed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:job:view")
        let job = try await find(context, caller)
        return try await FailedRecordingDTO.page(of: job, request, services.db, path: "\(Self.base)/\(job.id)/failedrecordings")
    }

    /// A job of the caller's org seen through this face; the other face's jobs are 404 here.
    func find(_ context: AppRequestContext, _ caller: Principal) async throws -> JobRecord {
        try await services.db.job(id: context.path(Self.idParameter), orgId: caller.orgId, kind: Self.kind, notFound: Self.noun)
    }
}

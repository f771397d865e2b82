import Hummingbird
import MockStore
import RecordingsDomain

/// The export job on the wire (CONTRACT §1). Every key is always present; absent values are `null`.
package struct ExportJobDTO: Encodable, Sendable {
    struct UserRef: Encodable, Sendable {
        var id: String
        var selfUri: String
    }

    var id: String
    var state: String
    var storage: ExportRequest.Storage
    var filter: ExportRequest.Filter
    var legalHold: ExportRequest.LegalHold?
    var user: UserRef
    var dateCreated: String
    var dateCompleted: String?
    var totalConversations: Int
    var totalRecordings: Int
    var totalProcessedRecordings: Int
    var totalSkippedRecordings: Int
    var totalFailedRecordings: Int
    var percentProgress: Int
    var manifestKey: String?
    var errorMessage: String?
    var selfUri: String

    /// `waiting` says why an active job does not move (a full disk): it shows as `errorMessage` until it clears.
    package init(_ job: JobRecord, waiting: String? = nil) {
        let request = job.exportRequest
        let p = job.progress
        id = job.id
        state = p.state.rawValue
        storage = request?.storage ?? .init(bucketName: job.bucket, region: job.region, prefix: job.prefix)
        filter = request?.filter ?? .init(mediaTypes: [])
        legalHold = request?.legalHold
        user = UserRef(id: job.userId, selfUri: "/api/v2/users/\(job.userId)")
        dateCreated = Timestamp.format(millis: job.dateCreated)
        dateCompleted = p.state.isTerminal ? job.dateCompleted.map { Timestamp.format(millis: $0) } : nil
        totalConversations = p.totalConversations
        totalRecordings = p.totalRecordings
        totalProcessedRecordings = p.processed
        totalSkippedRecordings = p.skipped
        totalFailedRecordings = p.failed
        percentProgress = p.percentProgress
        manifestKey = p.state == .fulfilled ? job.manifestKey : nil
        errorMessage = p.errorMessage ?? (p.state.isTerminal ? nil : waiting)
        selfUri = "/api/v2/recordings/exports/\(job.id)"
    }

    enum CodingKeys: String, CodingKey {
        case id, state, storage, filter, user, dateCreated, dateCompleted, totalConversations, totalRecordings
        case totalProcessedRecordings, totalSkippedRecordings, totalFailedRecordings, percentProgress, manifestKey
        case errorMessage, selfUri
        case legalHold = "legal_hold"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(state, forKey: .state)
        try c.encode(storage, forKey: .storage)
        try c.encode(filter, forKey: .filter)
        try c.encode(legalHold, forKey: .legalHold)
        try c.encode(user, forKey: .user)
        try c.encode(dateCreated, forKey: .dateCreated)
        try c.encode(dateCompleted, forKey: .dateCompleted)
        try c.encode(totalConversations, forKey: .totalConversations)
        try c.encode(totalRecordings, forKey: .totalRecordings)
        try c.encode(totalProcessedRecordings, forKey: .totalProcessedRecordings)
        try c.encode(totalSkippedRecordings, forKey: .totalSkippedRecordings)
        try c.encode(totalFailedRecordings, forKey: .totalFailedRecordings)
        try c.encode(percentProgress, forKey: .percentProgress)
        try c.encode(manifestKey, forKey: .manifestKey)
        try c.encode(errorMessage, forKey: .errorMessage)
        try c.encode(selfUri, forKey: .selfUri)
    }
}

/// One entry of `failedrecordings`.
package struct FailedRecordingDTO: Encodable, Sendable {
    struct Ref: Encodable, Sendable {
        var id: String
        var selfUri: String
    }

    var conversation: Ref
    var recording: Ref
    var errorMessage: String

    /// One page of a job's failed recordings, in the paging envelope (both faces of the job machine).
    static func page(of job: JobRecord, _ request: Request, _ db: AppDatabase, path: String) async throws -> Response {
        let paging = try Paging(request)
        let page = try await db.failedItems(jobId: job.id, limit: paging.pageSize, offset: paging.offset)
        return try JSONResponse.make(PageEnvelope(entities: page.items.map(FailedRecordingDTO.init), paging: paging,
                                                  total: page.total, path: path, query: []))
    }

    init(_ item: AppDatabase.FailedItem) {
        conversation = Ref(id: item.conversationId, selfUri: "/api/v2/conversations/\(item.conversationId)")
        recording = Ref(id: item.recordingId, selfUri: "/api/v2/conversations/\(item.conversationId)/recordings/\(item.recordingId)")
        errorMessage = item.errorMessage
    }
}

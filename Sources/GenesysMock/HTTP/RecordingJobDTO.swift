import MockStore
import DocumentCodecs
import RecordingsDomain

/// The real platform's `RecordingJob` (GENESYS-FACTS §1.4). Every key is always present.
package struct RecordingJobDTO: Encodable, Sendable {
    struct UserRef: Encodable, Sendable {
        var id: String
        var selfUri: String
    }

    var id: String
    var user: UserRef
    var state: String
    var recordingJobsQuery: JSONValue
    var dateCreated: String
    var totalConversations: Int
    var totalRecordings: Int
    var totalSkippedRecordings: Int
    var totalFailedRecordings: Int
    var totalProcessedRecordings: Int
    var percentProgress: Int
    var errorMessage: String?
    var failedRecordings: String
    var selfUri: String

    /// `waiting` says why an active job does not move (a full disk): it shows as `errorMessage` until it clears.
    package init(_ job: JobRecord, waiting: String? = nil) {
        let p = job.progress
        id = job.id
        user = UserRef(id: job.userId, selfUri: "/api/v2/users/\(job.userId)")
        state = p.state.rawValue
        recordingJobsQuery = FastJSONReader.parse(job.requestJSON) ?? .object([:])
        dateCreated = Timestamp.format(millis: job.dateCreated)
        totalConversations = p.totalConversations
        totalRecordings = p.totalRecordings
        totalSkippedRecordings = p.skipped
        totalFailedRecordings = p.failed
        totalProcessedRecordings = p.processed
        percentProgress = p.percentProgress
        errorMessage = p.errorMessage ?? (p.state.isTerminal ? nil : waiting)
        failedRecordings = "/api/v2/recording/jobs/\(job.id)/failedrecordings"
        selfUri = "/api/v2/recording/jobs/\(job.id)"
    }

    enum CodingKeys: String, CodingKey {
        case id, user, state, recordingJobsQuery, dateCreated, totalConversations, totalRecordings, totalSkippedRecordings
        case totalFailedRecordings, totalProcessedRecordings, percentProgress, errorMessage, failedRecordings, selfUri
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(user, forKey: .user)
        try c.encode(state, forKey: .state)
        try c.encode(recordingJobsQuery, forKey: .recordingJobsQuery)
        try c.encode(dateCreated, forKey: .dateCreated)
        try c.encode(totalConversations, forKey: .totalConversations)
        try c.encode(totalRecordings, forKey: .totalRecordings)
        try c.encode(totalSkippedRecordings, forKey: .totalSkippedRecordings)
        try c.encode(totalFailedRecordings, forKey: .totalFailedRecordings)
        try c.encode(totalProcessedRecordings, forKey: .totalProcessedRecordings)
        try c.encode(percentProgress, forKey: .percentProgress)
        try c.encode(errorMessage, forKey: .errorMessage)
        try c.encode(failedRecordings, forKey: .failedRecordings)
        try c.encode(selfUri, forKey: .selfUri)
    }
}

import Foundation

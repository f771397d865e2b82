import Foundation
import GRDB
import DocumentCodecs
import RecordingsDomain

/// One row of `job`: the job machine's state plus what the job was asked to do.
package struct JobRecord: Sendable {
    package var id: String
    package var orgId: String
    package var progress: JobProgress
    package var requestJSON: String
    package var caseId: String?
    package var bucket: String
    package var region: String
    package var prefix: String?
    package var userId: String
    package var clientId: String
    package var dateCreated: Int64
    package var dateStarted: Int64?
    package var dateCompleted: Int64?
    package var manifestKey: String?
    /// EXPORT, DELETE or ARCHIVE (an export-API job is always EXPORT).
    package var action: String
    /// Which conversations the job covers, fixed when it is created.
    package var selection: JobSelection?

    package var state: JobState { progress.state }

    package var exportRequest: ExportRequest? {
        try? JSONDecoder().decode(ExportRequest.self, from: Data(requestJSON.utf8))
    }

    init(row: Row) {
        id = row["id"]
        orgId = row["org_id"]
        var p = JobProgress(kind: JobKind(rawValue: row["kind"]) ?? .export, state: JobState(rawValue: row["state"]) ?? .failed)
        p.totalConversations = row["total_conversations"]
        p.totalRecordings = row["total_recordings"]
        p.processed = row["total_processed"]
        p.skipped = row["total_skipped"]
        p.failed = row["total_failed"]
        p.errorMessage = row["error_message"]
        progress = p
        requestJSON = row["request"]
        caseId = row["case_id"]
        bucket = row["bucket"]
        region = row["region"]
        prefix = row["prefix"]
        userId = row["user_id"]
        clientId = row["client_id"]
        dateCreated = row["date_created"]
        dateStarted = row["date_started"]
        dateCompleted = row["date_completed"]
        manifestKey = row["manifest_key"]
        action = row["action"]
        selection = (row["selection"] as String?).flatMap { try? JSONDecoder().decode(JobSelection.self, from: Data($0.utf8)) }
    }

    package init(id: String, orgId: String, kind: JobKind, requestJSON: String, caseId: String?, bucket: String,
                 region: String, prefix: String?, userId: String, clientId: String, dateCreated: Int64,
                 action: String = "EXPORT", selection: JobSelection? = nil) {
        self.id = id
        self.orgId = orgId
        progress = JobProgress(kind: kind)
        self.requestJSON = requestJSON
        self.caseId = caseId
        self.bucket = bucket
        self.region = region
        self.prefix = prefix
        self.userId = userId
        self.clientId = clientId
        self.dateCreated = dateCreated
        self.action = action
        self.selection = selection
    }

    func insert(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO job (id, org_id, kind, state, request, case_id, bucket, region, prefix, user_id, client_id, date_created,
                action, selection)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, orgId, progress.kind.rawValue, progress.state.rawValue, requestJSON, caseId, bucket, region,
                             prefix, userId, clientId, dateCreated, action, try selection.map(CanonicalJSON.string)])
    }

    /// Writes the machine's part back (state, counters, error) and the dates.
    func saveProgress(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE job SET state = ?, total_conversations = ?, total_recordings = ?, total_processed = ?,
                total_skipped = ?, total_failed = ?, error_message = ?, date_started = ?, date_completed = ?, manifest_key = ?
            WHERE id = ?
            """, arguments: [progress.state.rawValue, progress.totalConversations, progress.totalRecordings,
                             progress.processed, progress.skipped, progress.failed, progress.errorMessage,
                             dateStarted, dateCompleted, manifestKey, id])
    }

    static func fetch(_ db: Database, id: String) throws -> JobRecord? {
        try StoreKeys.check(id)
        return try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(JobRecord.init(row:))
    }
}

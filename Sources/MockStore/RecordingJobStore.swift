import Foundation
import GRDB
import RecordingsDomain

/// The recording-jobs face of the job store: the two-concurrent-jobs rule and creator-only execution.
extension AppDatabase {
    static func activeRecordingJobs(_ db: Database, orgId: String) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM job WHERE org_id = ? AND kind = 'recording_job' AND state IN ('PENDING', 'PROCESSING')
            """, arguments: [orgId]) ?? 0
    }

    package func createRecordingJob(_ job: JobRecord) async throws {
        try await write { db in
            try RecordingJobRules.admit(activeJobs: try Self.activeRecordingJobs(db, orgId: job.orgId))
            try job.insert(db)
            try AuditLog.append(db, time: job.dateCreated, event: "job.accepted", orgId: job.orgId, jobId: job.id,
                                fields: ["action": .string(job.action), "clientId": .string(job.clientId)])
        }
    }

    /// READY → PROCESSING, by the user who created the job.
    package func executeRecordingJob(_ id: String, orgId: String, userId: String, now: Int64) async throws -> JobRecord {
        try StoreKeys.check(id, orgId, userId)
        return try await write { db in
            guard var job = try JobRecord.fetch(db, id: id), job.orgId == orgId else {
                throw RuleViolation(.notFound, "not.found", "The requested resource was not found.")
            }
            try RecordingJobRules.execute(jobId: id, state: job.state, creator: job.userId, caller: userId,
                                          activeJobs: try Self.activeRecordingJobs(db, orgId: orgId))
            try Self.apply(db, .execute, to: &job, now: now)
            return job
        }
    }

    package func recordingJobs(orgId: String, state: JobState?, action: String?, userId: String?, sortByUser: Bool,
                               limit: Int, offset: Int) async throws -> (jobs: [JobRecord], total: Int) {
        try StoreKeys.check(orgId, action, userId)
        return try await read { db in
            var filter = "org_id = ? AND kind = 'recording_job'"
            var args: StatementArguments = [orgId]
            if let state { filter += " AND state = ?"; args += [state.rawValue] }
            if let action { filter += " AND action = ?"; args += [action] }
            if let userId { filter += " AND user_id = ?"; args += [userId] }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE \(filter)", arguments: args) ?? 0
            let order = sortByUser ? "user_id, date_created DESC, id" : "date_created DESC, id"
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM job WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                                        arguments: args + [limit, offset])
            return (rows.map(JobRecord.init(row:)), total)
        }
    }

    package struct IntegrationInfo: Sendable, Codable {
        package var id: String
        package var orgId: String
        package var name: String
        package var integrationType: String
        package var bucketName: String
        package var region: String

        package init(id: String, orgId: String, name: String, integrationType: String, bucketName: String, region: String) {
            (self.id, self.orgId, self.name, self.integrationType) = (id, orgId, name, integrationType)
            (self.bucketName, self.region) = (bucketName, region)
        }

        init(row: Row) {
            self.init(id: row["id"], orgId: row["org_id"], name: row["name"], integrationType: row["integration_type"],
                      bucketName: row["bucket_name"], region: row["region"])
        }
    }

    package func integration(id: String, orgId: String) async throws -> IntegrationInfo? {
        try StoreKeys.check(id, orgId)
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM integration WHERE id = ? AND org_id = ?", arguments: [id, orgId]).map(IntegrationInfo.init(row:))
        }
    }

    package func integrations(orgId: String, limit: Int, offset: Int) async throws -> (items: [IntegrationInfo], total: Int) {
        try StoreKeys.check(orgId)
        return try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM integration WHERE org_id = ?", arguments: [orgId]) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM integration WHERE org_id = ? ORDER BY name, id LIMIT ? OFFSET ?",
                                        arguments: [orgId, limit, offset])
            return (rows.map(IntegrationInfo.init(row:)), total)
        }
    }
}

import Foundation
import GRDB
import RecordingsDomain

/// What the routes ask of jobs. Every change is one transaction together with its audit entry.
extension AppDatabase {
    package func createJob(_ job: JobRecord, auditFields: [String: JSONValue]) async throws {
        try await write { db in
            try job.insert(db)
            try AuditLog.append(db, time: job.dateCreated, event: "export.accepted", orgId: job.orgId, caseId: job.caseId,
                                jobId: job.id, fields: auditFields)
        }
    }

    /// Records a refused export request (CONTRACT §1: rejections are audited; nothing else changes).
    package func auditRejection(orgId: String?, time: Int64, caseId: String?, code: String, fields: [String]) async throws {
        try StoreKeys.check(orgId, caseId)
        try await write { db in
            try AuditLog.append(db, time: time, event: "export.rejected", orgId: orgId, caseId: caseId,
                                fields: ["code": .string(code), "fields": .array(fields.map(JSONValue.string))])
        }
    }

    /// A job of an org. Jobs are polled hard (every SDK waits on one), so they are cached while the job table is
    /// unchanged.
    package func job(id: String, orgId: String) async throws -> JobRecord? {
        try StoreKeys.check(id, orgId)
        let generation = changes.generation(.job)
        // An id that names no job is cached too (as nil), so a client polling a wrong id costs no database read.
        if let cached = caches.jobs.get(ExactKey(id), generation: generation) { return cached.flatMap { $0.orgId == orgId ? $0 : nil } }
        let job = try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(JobRecord.init(row:))
        }
        caches.jobs.put(ExactKey(id), job, generation: generation)
        guard let job else { return nil }
        return job.orgId == orgId ? job : nil
    }

    /// A job of the caller's org seen through one face of the job machine; the other face's jobs are 404 here,
    /// exactly like ids that never existed.
    package func job(id: String, orgId: String, kind: JobKind, notFound: String) async throws -> JobRecord {
        try StoreKeys.check(id, orgId)
        guard let job = try await job(id: id, orgId: orgId), job.progress.kind == kind else {
            throw RuleViolation(.notFound, "not.found", "\(notFound) \(id) was not found")
        }
        return job
    }

    package func jobs(orgId: String, kind: JobKind, state: JobState?, caseId: String?, limit: Int, offset: Int)
        async throws -> (jobs: [JobRecord], total: Int)
    {
        try StoreKeys.check(orgId, caseId)
        let query = JobListQuery(orgId: orgId, kind: kind, state: state, caseId: caseId.map(ExactKey.init), limit: limit, offset: offset)
        let generation = changes.generation(.job)
        if let cached = caches.jobLists.get(query, generation: generation) { return cached }
        let page = try await read { db in
            var filter = "org_id = ? AND kind = ?"
            var args: StatementArguments = [orgId, kind.rawValue]
            if let state { filter += " AND state = ?"; args += [state.rawValue] }
            if let caseId { filter += " AND case_id = ?"; args += [caseId] }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE \(filter)", arguments: args) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM job WHERE \(filter) ORDER BY date_created DESC, id LIMIT ? OFFSET ?",
                                        arguments: args + [limit, offset])
            return (rows.map(JobRecord.init(row:)), total)
        }
        caches.jobLists.put(query, page, generation: generation)
        return page
    }

    struct JobListQuery: Hashable, Sendable {
        var orgId: String
        var kind: JobKind
        var state: JobState?
        var caseId: ExactKey?
        var limit: Int
        var offset: Int
    }

    package enum CancelOutcome: Sendable {
        case cancelled(JobRecord)
        case notFound
        case conflict(JobState)
    }

    package func cancelJob(id: String, orgId: String, now: Int64) async throws -> CancelOutcome {
        switch try await transition(job: id, orgId: orgId, event: .cancel, now: now) {
        case .applied(let job): return .cancelled(job)
        case .notFound: return .notFound
        case .refused(let state): return .conflict(state)
        }
    }

    package struct FailedItem: Sendable {
        package var conversationId: String
        package var recordingId: String
        package var errorMessage: String
    }

    package func failedItems(jobId: String, limit: Int, offset: Int) async throws -> (items: [FailedItem], total: Int) {
        try StoreKeys.check(jobId)
        return try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job_item WHERE job_id = ? AND status = 'failed'",
                                         arguments: [jobId]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT conversation_id, recording_id, error_message FROM job_item
                WHERE job_id = ? AND status = 'failed' ORDER BY seq LIMIT ? OFFSET ?
                """, arguments: [jobId, limit, offset])
            return (rows.map { FailedItem(conversationId: $0["conversation_id"], recordingId: $0["recording_id"],
                                          errorMessage: $0["error_message"] ?? "") }, total)
        }
    }
}

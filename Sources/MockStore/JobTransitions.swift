import GRDB
import RecordingsDomain

/// Every change of a job's state, of both faces, goes through here: the job machine (`JobMachine`, in the domain)
/// says what the event makes of the job, and this saves the new progress, its dates and its audit entry in the
/// caller's transaction.
extension AppDatabase {
    /// What became of an event sent to a job.
    package enum TransitionOutcome: Sendable {
        case applied(JobRecord)
        case notFound
        /// The job's state does not take the event; nothing changed.
        case refused(JobState)
    }

    /// Applies `event` to the job in one transaction. `orgId`, when given, must be the job's org.
    package func transition(job id: String, orgId: String? = nil, event: JobEvent, now: Int64) async throws -> TransitionOutcome {
        try StoreKeys.check(id, orgId)
        return try await write { db in
            guard var job = try JobRecord.fetch(db, id: id), orgId == nil || job.orgId == orgId else { return .notFound }
            do { try Self.apply(db, event, to: &job, now: now) } catch let e as JobTransitionError { return .refused(e.from) }
            return .applied(job)
        }
    }

    /// Applies an event to a job read in this transaction and saves the result; throws `JobTransitionError`
    /// (nothing written) when the job's state does not take it.
    static func apply(_ db: Database, _ event: JobEvent, to job: inout JobRecord, now: Int64, startedAt: Int64? = nil,
                      note: [String: JSONValue] = [:]) throws {
        let t = try JobMachine.apply(event, to: job.progress, dates: job.dates, now: now, startedAt: startedAt, note: note)
        job.progress = t.progress
        job.dateStarted = t.dates.started
        job.dateCompleted = t.dates.completed
        try job.saveProgress(db)
        if let audit = t.audit {
            try AuditLog.append(db, time: now, event: audit.event, orgId: job.orgId, caseId: job.caseId, jobId: job.id, fields: audit.fields)
        }
    }
}

extension JobRecord {
    var dates: JobDates { JobDates(created: dateCreated, started: dateStarted, completed: dateCompleted) }
}

/// A job's dates, as the job machine stamps them (mock-clock milliseconds).
public struct JobDates: Sendable, Equatable {
    public var created: Int64
    public var started: Int64?
    public var completed: Int64?

    public init(created: Int64, started: Int64? = nil, completed: Int64? = nil) {
        self.created = created
        self.started = started
        self.completed = completed
    }
}

/// The audit entry a transition asks for.
public struct JobAuditEntry: Sendable, Equatable {
    public var event: String
    public var fields: [String: JSONValue]

    public init(event: String, fields: [String: JSONValue]) {
        self.event = event
        self.fields = fields
    }
}

/// What applying an event to a job gives: its new progress and dates, and the audit entry to append with them.
/// The store saves all three in one transaction; nothing else writes a job's state.
public struct JobTransition: Sendable, Equatable {
    public var from: JobState
    public var progress: JobProgress
    public var dates: JobDates
    /// The `job.state` entry; nil when the state did not change (progress within PROCESSING).
    public var audit: JobAuditEntry?
}

/// The one job machine, both faces (CONTRACT §1, §2): an event in, the new state and its actions out.
public enum JobMachine {
    /// The audit event of every state change.
    public static let stateEvent = "job.state"

    /// Applies `event` at `now`; throws without changing anything when the transition is illegal.
    /// - `startedAt`: when counting finished (the query's pacing; `now` when nil).
    /// - `note`: extra audit fields the caller knows and the machine does not (the manifest's key).
    public static func apply(_ event: JobEvent, to progress: JobProgress, dates: JobDates, now: Int64, startedAt: Int64? = nil,
                             note: [String: JSONValue] = [:]) throws(JobTransitionError) -> JobTransition {
        var next = progress
        try next.apply(event)
        var dates = dates
        var fields = note
        switch event {
        case .counted(_, let recordings):
            dates.started = startedAt ?? now
            fields["totalRecordings"] = .int(recordings)
        case .execute:
            dates.started = now
        case .completed:
            dates.completed = dates.completed ?? now
        case .cancel:
            dates.completed = now
        case .fail(let message):
            dates.completed = now
            fields["errorMessage"] = .string(message)
        case .progressed:
            break
        }
        var audit: JobAuditEntry?
        if next.state != progress.state {
            fields["from"] = .string(progress.state.rawValue)
            fields["to"] = .string(next.state.rawValue)
            audit = JobAuditEntry(event: stateEvent, fields: fields)
        }
        return JobTransition(from: progress.state, progress: next, dates: dates, audit: audit)
    }
}

/// The states of a bulk job. The export API never shows READY; the real recording-jobs API does (CONTRACT §1, §2).
public enum JobState: String, Sendable, Codable, Equatable, CaseIterable {
    case pending = "PENDING"
    case ready = "READY"
    case processing = "PROCESSING"
    case fulfilled = "FULFILLED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    public var isTerminal: Bool { self == .fulfilled || self == .failed || self == .cancelled }
}

/// Which face of the one job machine a job wears.
public enum JobKind: String, Sendable, Codable, Equatable {
    /// `/api/v2/recordings/exports`: PENDING → PROCESSING on its own.
    case export
    /// `/api/v2/recording/jobs`: PENDING → READY, then executed by its creator.
    case recordingJob = "recording_job"
}

/// The part of a job the state machine owns: state, counters and the error message.
public struct JobProgress: Sendable, Equatable {
    public var kind: JobKind
    public var state: JobState
    public var totalConversations = 0
    public var totalRecordings = 0
    public var processed = 0
    public var skipped = 0
    public var failed = 0
    public var errorMessage: String?

    public init(kind: JobKind, state: JobState = .pending) {
        self.kind = kind
        self.state = state
    }

    /// processed / total in whole percent; 100 when there is nothing to do.
    public var percentProgress: Int {
        guard totalRecordings > 0 else { return state == .pending || state == .ready ? 0 : 100 }
        return min(100, (processed + skipped + failed) * 100 / totalRecordings)
    }

    /// Whether finishing the job writes a manifest: an export with at least one recording that did not fail. The
    /// recording-jobs face writes none, as the real platform does not; a job whose every recording failed
    /// completes as FAILED without one.
    public var writesManifest: Bool {
        kind == .export && !(totalRecordings > 0 && failed == totalRecordings)
    }

    /// Recordings not yet processed, skipped or failed.
    public var remaining: Int { max(0, totalRecordings - processed - skipped - failed) }
}

public enum JobEvent: Sendable, Equatable {
    /// The query finished: totals are known.
    case counted(conversations: Int, recordings: Int)
    /// The creator executed a READY recording job.
    case execute
    /// Some recordings were handled since the last event (increments, never absolute values).
    case progressed(processed: Int, skipped: Int, failed: Int)
    /// Every recording was handled.
    case completed
    case cancel
    /// The destination refused the job (an S3-worded message).
    case fail(String)
}

public struct JobTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var from: JobState
    public var event: JobEvent
    public var description: String { "a job in state \(from.rawValue) cannot take \(event)" }
}

extension JobProgress {
    /// Applies an event; throws without changing anything when the transition is illegal.
    public mutating func apply(_ event: JobEvent) throws(JobTransitionError) {
        let illegal = JobTransitionError(from: state, event: event)
        // READY belongs to the recording-jobs face only: an export never waits to be executed.
        if state == .ready && kind == .export { throw illegal }
        switch (state, event) {
        case (.pending, .counted(let conversations, let recordings)):
            guard conversations >= 0, recordings >= 0 else { throw illegal }
            totalConversations = conversations
            totalRecordings = recordings
            state = kind == .export ? .processing : .ready
        case (.ready, .execute):
            state = .processing
        case (.processing, .progressed(let p, let s, let f)):
            guard p >= 0, s >= 0, f >= 0, p + s + f <= remaining else { throw illegal }
            processed += p
            skipped += s
            failed += f
        case (.processing, .completed):
            guard remaining == 0 else { throw illegal }
            state = totalRecordings > 0 && failed == totalRecordings ? .failed : .fulfilled
            if state == .failed, errorMessage == nil { errorMessage = "Every recording of the job failed to export" }
        case (.pending, .cancel), (.ready, .cancel), (.processing, .cancel):
            state = .cancelled
        case (.pending, .fail(let message)), (.ready, .fail(let message)), (.processing, .fail(let message)):
            state = .failed
            errorMessage = message
        default:
            throw illegal
        }
    }
}

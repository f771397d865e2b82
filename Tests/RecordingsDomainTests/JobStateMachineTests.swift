import RecordingsDomain
import Testing

@Suite("job state machine")
struct JobStateMachineTests {
    static let events: [JobEvent] = [
        .counted(conversations: 3, recordings: 3), .execute, .progressed(processed: 1, skipped: 0, failed: 0),
        .completed, .cancel, .fail("NoSuchBucket: x"),
    ]

    static func job(_ kind: JobKind, _ state: JobState, total: Int = 3, done: Int = 0) -> JobProgress {
        var p = JobProgress(kind: kind, state: state)
        p.totalConversations = total
        p.totalRecordings = total
        p.processed = done
        return p
    }

    /// The legal (state, event) pairs for an export job and where they lead; everything else must throw.
    static let exportLegal: [String: JobState] = [
        "PENDING counted": .processing, "PENDING cancel": .cancelled, "PENDING fail": .failed,
        "PROCESSING progressed": .processing, "PROCESSING cancel": .cancelled, "PROCESSING fail": .failed,
    ]

    static func name(_ e: JobEvent) -> String {
        switch e {
        case .counted: return "counted"
        case .execute: return "execute"
        case .progressed: return "progressed"
        case .completed: return "completed"
        case .cancel: return "cancel"
        case .fail: return "fail"
        }
    }

    @Test("every state × event of an export job", arguments: JobState.allCases)
    func exportTable(_ state: JobState) {
        for event in Self.events {
            var p = Self.job(.export, state)
            let before = p
            let key = "\(state.rawValue) \(Self.name(event))"
            do {
                try p.apply(event)
                #expect(Self.exportLegal[key] == p.state, "\(key) should not be legal, or led to \(p.state)")
            } catch {
                #expect(Self.exportLegal[key] == nil, "\(key) should be legal")
                #expect(p == before, "an illegal event must change nothing")
            }
        }
    }

    @Test func recordingJobGoesThroughReadyAndExecute() throws {
        var p = JobProgress(kind: .recordingJob)
        try p.apply(.counted(conversations: 2, recordings: 2))
        #expect(p.state == .ready)
        #expect(throws: JobTransitionError.self) { try p.apply(.progressed(processed: 1, skipped: 0, failed: 0)) }
        try p.apply(.execute)
        #expect(p.state == .processing)
        #expect(throws: JobTransitionError.self) { try p.apply(.execute) }
        var ready = JobProgress(kind: .recordingJob, state: .ready)
        try ready.apply(.cancel)
        #expect(ready.state == .cancelled)
    }

    @Test func completingNeedsEveryRecordingHandled() throws {
        var p = Self.job(.export, .processing, total: 3)
        #expect(throws: JobTransitionError.self) { try p.apply(.completed) }
        try p.apply(.progressed(processed: 2, skipped: 0, failed: 1))
        #expect(p.percentProgress == 100)
        try p.apply(.completed)
        #expect(p.state == .fulfilled)
    }

    @Test func aJobWhoseEveryRecordingFailedEndsFailed() throws {
        var p = Self.job(.export, .processing, total: 2)
        try p.apply(.progressed(processed: 0, skipped: 0, failed: 2))
        try p.apply(.completed)
        #expect(p.state == .failed)
        #expect(p.errorMessage != nil)
    }

    @Test func anEmptyJobIsFulfilledAt100Percent() throws {
        var p = JobProgress(kind: .export)
        #expect(p.percentProgress == 0)
        try p.apply(.counted(conversations: 0, recordings: 0))
        try p.apply(.completed)
        #expect(p.state == .fulfilled)
        #expect(p.percentProgress == 100)
    }

    @Test func countersOnlyGrowAndNeverPastTheTotal() throws {
        var p = Self.job(.export, .processing, total: 3, done: 2)
        #expect(throws: JobTransitionError.self) { try p.apply(.progressed(processed: 2, skipped: 0, failed: 0)) }
        #expect(throws: JobTransitionError.self) { try p.apply(.progressed(processed: -1, skipped: 0, failed: 0)) }
        #expect(p.processed == 2)
        try p.apply(.progressed(processed: 1, skipped: 0, failed: 0))
        #expect(p.processed == 3)
        #expect(p.percentProgress == 100)
    }

    @Test("terminal states never change", arguments: [JobState.fulfilled, .failed, .cancelled])
    func terminal(_ state: JobState) {
        for event in Self.events {
            var p = Self.job(.export, state, done: 3)
            #expect(throws: JobTransitionError.self) { try p.apply(event) }
            #expect(p.state == state)
        }
    }

    @Test func failureKeepsTheS3Message() throws {
        var p = Self.job(.export, .processing)
        try p.apply(.fail("AccessDenied: Access Denied"))
        #expect(p.errorMessage == "AccessDenied: Access Denied")
    }
}

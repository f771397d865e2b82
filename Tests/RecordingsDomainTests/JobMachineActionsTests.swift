import RecordingsDomain
import Testing

/// The job machine returns what a transition does besides the state: the dates it stamps and the `job.state`
/// audit entry, which the store then applies in one transaction.
@Suite("job machine actions")
struct JobMachineActionsTests {
    static func progress(_ kind: JobKind, _ state: JobState, total: Int = 3, failed: Int = 0, processed: Int = 0) -> JobProgress {
        var p = JobProgress(kind: kind, state: state)
        (p.totalConversations, p.totalRecordings, p.failed, p.processed) = (total, total, failed, processed)
        return p
    }

    @Test func countingStampsTheStartAtTheQuerysEndAndAuditsTheTotal() throws {
        let t = try JobMachine.apply(.counted(conversations: 4, recordings: 4), to: JobProgress(kind: .export),
                                     dates: JobDates(created: 1_000), now: 9_000, startedAt: 2_000)
        #expect(t.from == .pending)
        #expect(t.progress.state == .processing)
        #expect(t.progress.totalRecordings == 4)
        #expect(t.dates == JobDates(created: 1_000, started: 2_000, completed: nil))
        #expect(t.audit == JobAuditEntry(event: "job.state", fields: ["from": "PENDING", "to": "PROCESSING", "totalRecordings": .int(4)]))
    }

    @Test func aRecordingJobCountsToReadyAndIsStartedWhenExecuted() throws {
        let counted = try JobMachine.apply(.counted(conversations: 2, recordings: 2), to: JobProgress(kind: .recordingJob),
                                           dates: JobDates(created: 0), now: 500)
        #expect(counted.progress.state == .ready)
        let executed = try JobMachine.apply(.execute, to: counted.progress, dates: JobDates(created: 0), now: 7_000)
        #expect(executed.dates.started == 7_000)
        #expect(executed.audit?.fields == ["from": "READY", "to": "PROCESSING"])
    }

    @Test func progressWithinProcessingChangesCountersOnlyAndIsNotAudited() throws {
        let dates = JobDates(created: 0, started: 10)
        let t = try JobMachine.apply(.progressed(processed: 2, skipped: 1, failed: 0), to: Self.progress(.export, .processing),
                                     dates: dates, now: 99)
        #expect(t.progress.processed == 2 && t.progress.skipped == 1)
        #expect(t.dates == dates)
        #expect(t.audit == nil)
    }

    @Test func completionKeepsAnEarlierCompletionDateAndCarriesTheCallersNote() throws {
        let done = Self.progress(.export, .processing, processed: 3)
        let t = try JobMachine.apply(.completed, to: done, dates: JobDates(created: 0, started: 10, completed: 50), now: 80,
                                     note: ["manifestKey": "exports/x/manifest.json"])
        #expect(t.progress.state == .fulfilled)
        #expect(t.dates.completed == 50)
        #expect(t.audit?.fields == ["from": "PROCESSING", "to": "FULFILLED", "manifestKey": "exports/x/manifest.json"])
        let fresh = try JobMachine.apply(.completed, to: done, dates: JobDates(created: 0, started: 10), now: 80)
        #expect(fresh.dates.completed == 80)
    }

    @Test func aJobWhoseEveryRecordingFailedCompletesAsFailedWithoutAManifest() throws {
        let allFailed = Self.progress(.export, .processing, failed: 3)
        #expect(!allFailed.writesManifest)
        #expect(!Self.progress(.recordingJob, .processing, processed: 3).writesManifest)
        #expect(Self.progress(.export, .processing, processed: 3).writesManifest)
        let t = try JobMachine.apply(.completed, to: allFailed, dates: JobDates(created: 0), now: 5)
        #expect(t.progress.state == .failed)
        #expect(t.audit?.fields == ["from": "PROCESSING", "to": "FAILED"])
    }

    @Test func cancelAndFailStampTheCompletionAndFailNamesTheReason() throws {
        let cancelled = try JobMachine.apply(.cancel, to: Self.progress(.export, .pending), dates: JobDates(created: 0), now: 42)
        #expect(cancelled.dates.completed == 42)
        #expect(cancelled.audit?.fields == ["from": "PENDING", "to": "CANCELLED"])
        let failed = try JobMachine.apply(.fail("NoSuchBucket: gone"), to: Self.progress(.export, .processing),
                                          dates: JobDates(created: 0, started: 1), now: 43)
        #expect(failed.dates == JobDates(created: 0, started: 1, completed: 43))
        #expect(failed.audit?.fields == ["from": "PROCESSING", "to": "FAILED", "errorMessage": "NoSuchBucket: gone"])
    }

    @Test func anIllegalEventThrowsAndReturnsNothingToApply() {
        #expect(throws: JobTransitionError.self) {
            try JobMachine.apply(.cancel, to: Self.progress(.export, .fulfilled), dates: JobDates(created: 0), now: 1)
        }
        #expect(throws: JobTransitionError.self) {
            try JobMachine.apply(.execute, to: Self.progress(.export, .pending), dates: JobDates(created: 0), now: 1)
        }
    }
}

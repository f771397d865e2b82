import MockStore
import RecordingsDomain

/// What a batch asks of the store: the index entries its keys already have, and one commit for all its items.
protocol BatchStore: Sendable {
    func objects(bucket: String, keys: [String]) async throws -> [String: ObjectRecord]
    func commit(batch items: [BatchItem], job jobId: String, now: Int64) async throws
}

/// What writing one held object asks of the store: the index entry its key already has.
protocol HeldObjectLookup: Sendable {
    func object(bucket: String, key: String) async throws -> ObjectRecord?
}

/// What the finisher asks of the store: to begin and complete the job, the pages of its manifest and custody
/// file, and to commit each of the two.
protocol FinisherStore: HeldObjectLookup {
    func beginFinishing(job jobId: String, now: Int64) async throws -> JobRecord?
    func complete(job jobId: String, manifestKey: String, now: Int64) async throws
    func lastItemSeq(job jobId: String) async throws -> Int64
    func manifestPage(_ job: JobRecord, after: Int, through: Int) async throws -> [Manifest.Object]
    func firstAuditSeq(job jobId: String) async throws -> Int64?
    func custodyEntries(job jobId: String, afterSeq: Int64, throughSeq: Int64) async throws -> [CustodyFile.Entry]
    func lastAuditSeq(job jobId: String, event: String) async throws -> Int64?
    func commit(object: ExportedObject, job: JobRecord, event: String, now: Int64) async throws -> Int64
}

/// What the export path asks of the store, and nothing more (`AppDatabase` is the one that answers).
typealias ExportStore = BatchStore & FinisherStore

extension AppDatabase: BatchStore, FinisherStore {}

/// What a batch and the finisher work with: the store's export methods, the sink (bytes), the clock and the
/// injected faults. The engine hands these on; it alone decides what becomes of a job (a batch or the finisher
/// reports a refusal, the engine fails the job).
struct ExportParts: Sendable {
    let store: any ExportStore
    let sink: FileSink
    let clock: MockClock
    let faults: FaultStore
    let cooldowns: Cooldowns
}

import Dispatch
import GRDB
import Synchronization

/// The one SQLite database: every piece of state the mock keeps (CONTRACT: state in SQLite, survives restarts).
///
/// The rule that keeps the server answering (see README, "Architecture"): **async code never waits on the
/// database synchronously.** The connection is private; the only ways in are `read` and `write` below, which
/// are async, run their closure on GRDB's own queues and return a `Sendable` value (map rows to your own
/// `Sendable` structs inside the closure). GRDB also has synchronous `read`/`write` overloads, and Swift
/// silently picks them when the closure returns something that is not `Sendable` (a `Row`, say): that parks a
/// cooperative thread in a lock, and on two cores six concurrent requests deadlocked the server that way. Here
/// that mistake does not compile.
package struct AppDatabase: Sendable {
    private let writer: any DatabaseWriter
    /// A second connection that only checkpoints the WAL (`checkpoint()`), when the server runs them in the
    /// background; nil when the writer checkpoints as it commits (SQLite's default, kept by `genesys-mock seed`).
    private let checkpointer: DatabaseQueue?
    /// Which tables changed, for the read caches of the hot paths.
    package let changes: TableChanges
    /// Told when a write fails for lack of space, and when writes succeed again.
    package let storage: StorageCondition
    /// Rows the hot paths read over and over, valid while their table's generation is unchanged.
    let caches = ReadCaches()
    /// When the last write transaction ended (uptime nanoseconds), for `checkpoint()`.
    private let lastWrite = LastWrite()

    private init(_ writer: any DatabaseWriter, storage: StorageCondition, checkpointer: DatabaseQueue? = nil) throws {
        self.writer = writer
        self.checkpointer = checkpointer
        self.storage = storage
        try Self.migrator.migrate(writer)
        changes = TableChanges()
        try changes.attach(to: writer)
    }

    /// Opens (creating it if needed) and migrates a WAL database file on a blocking-IO thread; the folder must exist.
    /// With `backgroundCheckpoints`, no commit checkpoints the log: the caller runs `checkpoint()` every so often
    /// (the server's `CheckpointService`), so that a request never pays for copying 32 MiB into the database file
    /// (a 57 ms stall every fifty tenant creations, say).
    package static func open(path: String, storage: StorageCondition = StorageCondition(),
                             backgroundCheckpoints: Bool = false) async throws -> AppDatabase {
        try await BlockingIO.run {
            var config = Configuration()
            config.busyMode = .timeout(5)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Checkpoint every 32 MiB of log rather than SQLite's 4 MiB: a page an export changes in batch
                // after batch is copied into the database file once per checkpoint, not once per few batches.
                try db.execute(sql: backgroundCheckpoints ? "PRAGMA wal_autocheckpoint = 0" : "PRAGMA wal_autocheckpoint = 8192")
            }
            let pool = try DatabasePool(path: path, configuration: config)
            var checkpointing = Configuration()
            checkpointing.busyMode = .timeout(5)
            checkpointing.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            return try AppDatabase(pool, storage: storage,
                                   checkpointer: backgroundCheckpoints ? DatabaseQueue(path: path, configuration: checkpointing) : nil)
        }
    }

    /// Copies what the log holds into the database file without waiting for readers or writers (a PASSIVE
    /// checkpoint, on its own connection and a blocking-IO thread): writers go on meanwhile. Under steady writes a
    /// passive checkpoint never quite catches up, and the log only starts over once one has; so a RESTART
    /// checkpoint follows, which holds writers back (some tens of milliseconds: the rest of the copy and a sync)
    /// and lets the next write start the log over: once the log passes 64 MiB and nothing was written for 100 ms,
    /// or, whatever the load, once it passes 256 MiB. Answers the log's frames and how many of them are in the
    /// database file now.
    @discardableResult
    package func checkpoint() async throws -> (log: Int, copied: Int) {
        guard let checkpointer else { return (0, 0) }
        let idle = DispatchTime.now().uptimeNanoseconds &- lastWrite.nanos.load(ordering: .relaxed) > 100_000_000
        return try await BlockingIO.run {
            try checkpointer.writeWithoutTransaction { db in
                var result = try db.checkpoint(.passive)
                if result.walFrameCount > (idle ? Self.restartFrames : Self.forcedRestartFrames) { result = try db.checkpoint(.restart) }
                return (result.walFrameCount, result.checkpointedFrameCount)
            }
        }
    }

    /// 64 MiB and 256 MiB of 4 KiB pages.
    static let restartFrames = 16_384
    static let forcedRestartFrames = 65_536

    package static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(), storage: StorageCondition())
    }

    /// A read-only transaction on one of the pool's reader connections, awaited without blocking.
    func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(value)
    }

    /// A write transaction (rolled back if `updates` throws), awaited without blocking.
    @discardableResult
    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do {
            let value = try await writer.write(updates)
            lastWrite.nanos.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            storage.noteWritten(.database)
            return value
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            storage.noteFull(.database)
            throw error
        }
    }
}

/// The caches behind `AppDatabase`'s hot reads.
final class ReadCaches: Sendable {
    let jobs = GenerationCache<ExactKey, JobRecord?>(capacity: 10_000)
    let jobLists = GenerationCache<AppDatabase.JobListQuery, (jobs: [JobRecord], total: Int)>(capacity: 1_000)
    let retentionDue = RetentionDue()
    /// The details query's `totalHits` per org, interval and filter: a client paging through a week asks the same
    /// count on every page, and at a million conversations counting a week reads megabytes of index.
    let detailsCounts = GenerationCache<AppDatabase.DetailsCountKey, Int>(capacity: 1_000)
}

/// The earliest archive or delete date not yet carried out, so that the retention sweep costs a lock of a few
/// instructions on a request path until the clock reaches it. It may be too early, never too late: whatever sets a
/// date lowers it, and a sweep's answer is kept only when no date was set while it was worked out.
final class RetentionDue: Sendable {
    private struct State { var due: Int64 = .min; var generation = 0 }
    private let state = Mutex(State())

    /// The date, and the generation to hand back to `settle`.
    func current() -> (due: Int64, generation: Int) { state.withLock { ($0.due, $0.generation) } }

    /// A date was set (`.min`: anything may have changed).
    func lower(to date: Int64) { state.withLock { s in s.due = min(s.due, date); s.generation += 1 } }

    func settle(_ next: Int64, generation: Int) { state.withLock { s in if s.generation == generation { s.due = next } } }
}

/// When the last write transaction ended (uptime nanoseconds), shared by every copy of `AppDatabase`.
final class LastWrite: Sendable {
    let nanos = Atomic<UInt64>(0)
}

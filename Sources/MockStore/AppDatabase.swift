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
    /// Which tables changed, for the read caches of the hot paths.
    package let changes: TableChanges
    /// Told when a write fails for lack of space, and when writes succeed again.
    package let storage: StorageCondition
    /// Rows the hot paths read over and over, valid while their table's generation is unchanged.
    let caches = ReadCaches()

    private init(_ writer: any DatabaseWriter, storage: StorageCondition) throws {
        self.writer = writer
        self.storage = storage
        try Self.migrator.migrate(writer)
        changes = TableChanges()
        try changes.attach(to: writer)
    }

    /// Opens (creating it if needed) and migrates a WAL database file on a blocking-IO thread; the folder must exist.
    package static func open(path: String, storage: StorageCondition = StorageCondition()) async throws -> AppDatabase {
        try await BlockingIO.run {
            var config = Configuration()
            config.busyMode = .timeout(5)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Checkpoint every 32 MiB of log rather than SQLite's 4 MiB: a page an export changes in batch
                // after batch is copied into the database file once per checkpoint, not once per few batches.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            }
            return try AppDatabase(DatabasePool(path: path, configuration: config), storage: storage)
        }
    }

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

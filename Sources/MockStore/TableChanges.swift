import GRDB
import Synchronization

/// A generation counter per table, bumped when a transaction that changed the table commits. The read caches of
/// the hot paths (tokens, jobs, buckets, object records) tag each entry with the generation they read *before*
/// going to the database and trust it only while the generation is unchanged, so no write is ever missed: not
/// the worker's, not a reset's, not raw SQL. Inserts count as changes too (a list may show the new row);
/// `removals` counts only updates and deletes, for caches of rows that an insert cannot change. Only tables a
/// cache reads are watched: each watched row change costs a callback on the writer's queue, and a seed or an
/// export changes rows of other tables by the hundred thousand.
package final class TableChanges: Sendable {
    package enum Table: String, CaseIterable, Sendable {
        case job
        case s3Object = "s3_object"
        case bucket
        case accessKey = "s3_access_key"
        case accessToken = "access_token"
        /// Watched for the details query's counts; a seed's inserts cost a callback each, a fraction of writing them.
        case conversation
    }

    private final class Counter: Sendable {
        let all = Atomic<UInt64>(0)
        let removals = Atomic<UInt64>(0)
    }

    private let counters: [Table: Counter]

    init() {
        counters = Dictionary(uniqueKeysWithValues: Table.allCases.map { ($0, Counter()) })
    }

    /// Changes of any kind committed to `table` so far.
    package func generation(_ table: Table) -> UInt64 { counters[table]!.all.load(ordering: .acquiring) }

    /// Updates and deletes committed to `table` so far.
    package func removals(_ table: Table) -> UInt64 { counters[table]!.removals.load(ordering: .acquiring) }

    /// Marks every table changed (after statements the observer may not see, such as a truncating DELETE).
    package func bumpAll() {
        for c in counters.values {
            c.all.add(1, ordering: .releasing)
            c.removals.add(1, ordering: .releasing)
        }
    }

    func bump(_ table: Table, removal: Bool) {
        let c = counters[table]!
        c.all.add(1, ordering: .releasing)
        if removal { c.removals.add(1, ordering: .releasing) }
    }

    func attach(to writer: any DatabaseWriter) throws {
        let observer = Observer(changes: self)
        writer.add(transactionObserver: observer, extent: .databaseLifetime)
    }

    /// Runs on GRDB's writer queue only (GRDB calls observers from the connection that writes), so its
    /// per-transaction state needs no lock of ours; `Mutex` is there to satisfy `Sendable`.
    private final class Observer: TransactionObserver, Sendable {
        let changes: TableChanges
        private let pending = Mutex<[Table: Bool]>([:])

        init(changes: TableChanges) { self.changes = changes }

        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
            Table(rawValue: eventKind.tableName) != nil
        }

        func databaseDidChange(with event: DatabaseEvent) {
            guard let table = Table(rawValue: event.tableName) else { return }
            let removal = event.kind != .insert
            pending.withLock { p in p[table] = (p[table] ?? false) || removal }
        }

        func databaseDidCommit(_ db: Database) {
            let done = pending.withLock { p in defer { p.removeAll() }; return p }
            for (table, removal) in done { changes.bump(table, removal: removal) }
        }

        func databaseDidRollback(_ db: Database) {
            pending.withLock { $0.removeAll() }
        }
    }
}

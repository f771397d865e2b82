import NIOPosix
import Synchronization

/// The one place where blocking work runs: file reads and writes, `fsync`/`syncfs`, opening the database,
/// loading fixtures. Swift's cooperative pool has one thread per core (two on a small machine); a blocking call
/// there stalls every request that the thread would have served, and enough of them stall the server for good.
/// So async code never calls a blocking API directly: it hands the work to this pool and awaits the result.
/// Long CPU-bound work that no request waits for (rendering an export batch) runs here too, so that the
/// cooperative threads stay free to answer requests while it runs.
package enum BlockingIO {
    /// Threads for blocking calls. More than the cores: most of their time is spent waiting on the disk.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    /// Runs `body` on a blocking-IO thread and returns its result to the caller's task. What `body` captures is
    /// released on that thread before the caller resumes (the pool would otherwise keep its work item, and with it
    /// `body`, a moment longer): a reader's `deinit` has closed its file by the time the caller goes on.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let once = Mutex<(@Sendable () throws -> T)?>(body)
        return try await pool.runIfActive {
            guard let work = once.withLock({ $0.take() }) else { throw CancellationError() }
            return try work()
        }
    }
}

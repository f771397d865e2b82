import Dispatch
import Synchronization

/// Waits for async work from a thread that is allowed to block: the CLI's main thread, a blocking-IO thread, a
/// dispatch worker of `verify`. Never call it from Swift concurrency's own threads (async code): that is the
/// blocking wait the house rules forbid.
package enum BlockingBridge {
    package static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let value = try await work()
                result.withLock { $0 = .success(value) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}

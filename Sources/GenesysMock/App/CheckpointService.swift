import Logging
import MockStore
import ServiceLifecycle

/// Copies the database's write-ahead log into the database file four times a second, on a connection of its own
/// (`AppDatabase.checkpoint`): the server's writers never checkpoint as they commit, so no request waits for it.
/// Passive, it waits for nobody and nobody waits for it; a failure is logged once (a full disk not at all: that is
/// said once already) and tried again.
struct CheckpointService: Service {
    let db: AppDatabase
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .milliseconds(250))
                } catch {
                    break
                }
                do {
                    try await db.checkpoint()
                    failing = false
                } catch where StorageCondition.isStorageFull(error) {
                    continue  // the full disk is logged once by the storage condition, and health says so
                } catch {
                    if !failing { logger.warning("WAL checkpoint failed; retrying", metadata: ["error": "\(error)"]) }
                    failing = true
                }
            }
        }
        _ = try? await db.checkpoint()  // leave a short log behind
    }
}

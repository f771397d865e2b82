import Hummingbird
import Logging
import MockStore

/// What the routes and services share; built once by `buildApplication`.
package struct AppServices: Sendable {
    package let config: AppConfiguration
    package let db: AppDatabase
    package let sink: FileSink
    package let clock: MockClock
    package let tokens: TokenService
    package let limiter: RateLimiter
    package let wake: WakeSignal
    package let engine: ExportEngine
    package let logger: Logger
    /// Encoded answers of the most-polled reads, valid while the table they show is unchanged.
    package let bodies = GenerationCache<ExactKey, ByteBuffer>(capacity: 10_000)
}

extension AppServices {
    /// Why active jobs do not move right now, shown as their `errorMessage`; nil when they can.
    package var waitingReason: String? { db.storage.isFull ? StorageCondition.waitingMessage : nil }

    /// A JSON answer served from `bodies` while `table` is unchanged since it was built; else built by `make`
    /// (which may throw, e.g. a 404: errors are never cached). `key` must name everything the answer depends
    /// on: the org, the face, the id or the query.
    package func cachedJSON(_ key: String, watching table: TableChanges.Table, status: HTTPResponse.Status = .ok,
                            _ make: () async throws -> ByteBuffer) async throws -> Response {
        let generation = db.changes.generation(table)
        let key = db.storage.isFull ? key + "|waiting" : key
        let body: ByteBuffer
        if let cached = bodies.get(ExactKey(key), generation: generation) {
            body = cached
        } else {
            body = try await make()
            bodies.put(ExactKey(key), body, generation: generation)
        }
        return JSONResponse.make(body: body, status: status)
    }
}

extension AppServices {
    /// The time on `org`'s clock: its tenant's own, else the shared one (CONTRACT §16).
    package func now(_ org: String?) -> Int64 { clock.nowMillis(org: org) }

    /// Archives and deletes what each org's own clock has reached.
    package func applyRetention() async throws {
        let clock = self.clock
        try await db.applyRetention(latest: clock.latestMillis()) { clock.nowMillis(org: $0) }
    }
}

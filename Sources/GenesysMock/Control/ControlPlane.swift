import Foundation
import GRDB
import RecordingsDomain

/// The state of the test-control plane and the operations that must not race the export worker.
package struct ControlPlane: Sendable {
    package let faults: FaultStore
    package let journal: RequestJournal
    package let gate: AsyncGate
    let services: AppServices
    let fixtures: FixtureSet

    /// Back to the fixtures: jobs, objects, audit log, holds, protection, clock, journal, faults, rate windows.
    /// Tokens of clients that still exist stay valid.
    func reset() async throws {
        try await gate.run {
            try await services.db.write { db in
                for table in ["job_item", "job", "s3_object", "s3_part", "s3_upload", "audit_log", "deletion_protection", "legal_hold", "conversation",
                              "integration", "bucket", "s3_access_key", "oauth_client", "org", "meta"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
                try Seeder.seed(db, fixtures, now: services.clock.nowMillis())
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('fixtures_hash', ?)", arguments: [fixtures.hash])
                try db.execute(sql: "DELETE FROM access_token WHERE client_id NOT IN (SELECT client_id FROM oauth_client)")
            }
            try await services.sink.removeEverything()
            services.db.changes.bumpAll()
            services.clock.set(nowMillis: Timestamp.millis(Date()), frozen: false)
            journal.clear()
            faults.clear()
            services.limiter.reset()
        }
    }

    /// Moves the clock, then lets every job catch up before returning.
    func moveClock(_ move: @Sendable () -> Void) async throws {
        try await gate.run {
            move()
            for _ in 0..<10_000 {
                let result = try await services.engine.step()
                if !result.didWork { break }
            }
        }
    }
}

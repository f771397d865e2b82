import Foundation
import MockStore
import RecordingsDomain
import Synchronization

/// The state of the test-control plane and the operations that must not race the export worker.
package struct ControlPlane: Sendable {
    package let faults: FaultStore
    package let journal: RequestJournal
    package let gate: AsyncGate
    /// Per org: what a tenant's reset, delete and clock move hold instead of `gate` (see `KeyedGate`).
    package let orgs: KeyedGate
    let services: AppServices
    let fixtures: FixtureSet

    /// Back to the fixtures: jobs, objects, audit log, holds, protection, clock, journal, faults, rate windows.
    /// Tokens of clients that still exist stay valid.
    func reset() async throws {
        try await gate.run {
            try await services.db.reset(to: try Seeder.seed(fixtures), now: services.clock.nowMillis())
            let tenants = try await services.db.tenantStorage()
            try await services.sink.removeEverything(keeping: tenants.buckets, keepingUploads: tenants.uploads)
            services.clock.set(nowMillis: Timestamp.millis(Date()), frozen: false)
            journal.clear()
            faults.clear()
            services.limiter.reset()
        }
    }

    /// Moves the clock, then lets every job catch up before returning.
    func moveClock(_ move: @Sendable () async throws -> Void) async throws {
        try await gate.run {
            try await move()
            // What the new time has reached happens now: archive and delete dates, then the jobs' pacing.
            try await services.applyRetention()
            for _ in 0..<10_000 {
                let result = try await services.engine.step(orgs: orgs)
                if !result.didWork { break }
            }
        }
    }

    /// Moves a tenant's clock alone (and stores it, so it survives a restart), then lets the tenant's jobs catch up,
    /// holding only its org's gate; nil when there is no such tenant.
    func moveTenantClock(_ tenant: AppDatabase.TenantRecord, nowMillis: Int64?, frozen: Bool?, advanceMillis: Int64 = 0) async throws -> MockClock.State? {
        try await orgs.run(tenant.orgId) {
            guard let state = services.clock.moveTenant(org: tenant.orgId, nowMillis: nowMillis, frozen: frozen, advanceMillis: advanceMillis) else {
                return nil
            }
            try await services.db.setTenantClock(id: tenant.id, offset: state.offsetMillis, frozen: state.frozenAt)
            try await services.applyRetention()
            for _ in 0..<10_000 {
                let result = try await services.engine.step(only: tenant.orgId)
                if !result.didWork { break }
            }
            return state
        }
    }
}

import Foundation
import RecordingsDomain
import Synchronization

/// The clocks of the server: the shared world's, and one per tenant (CONTRACT §16). Job pacing, token expiry,
/// download and presigned URLs and retention dates read the clock of the org they belong to; nothing else calls
/// `Date()`. Each follows the system clock, shifted by an offset, unless frozen.
package final class MockClock: Sendable {
    package struct State: Sendable, Equatable {
        package var offsetMillis: Int64 = 0
        package var frozenAt: Int64?

        package init(offsetMillis: Int64 = 0, frozenAt: Int64? = nil) {
            self.offsetMillis = offsetMillis
            self.frozenAt = frozenAt
        }

        /// Milliseconds since the epoch; a clock set near the end of year 9999 stops there rather than writing
        /// five-digit years.
        func now(system: Int64) -> Int64 { min(Timestamp.maxMillis, frozenAt ?? (system + offsetMillis)) }

        mutating func set(nowMillis: Int64?, frozen: Bool?, system: Int64) {
            let target = nowMillis ?? (frozenAt ?? (system + offsetMillis))
            if frozen ?? (frozenAt != nil) {
                frozenAt = target
            } else {
                frozenAt = nil
                offsetMillis = target - system
            }
        }

        mutating func advance(millis: Int64) {
            if let f = frozenAt { frozenAt = f + millis } else { offsetMillis += millis }
        }
    }

    private let state = Mutex(State())
    /// Tenants' clocks by org id; an org not here (the fixtures' orgs) reads the shared clock.
    private let tenants = Mutex<[String: State]>([:])

    package init() {}

    /// The shared world's clock.
    package func nowMillis() -> Int64 {
        state.withLock { $0.now(system: Timestamp.millis(Date())) }
    }

    /// The clock of `org`: its tenant's, or the shared one.
    package func nowMillis(org: String?) -> Int64 {
        if let org, let tenant = tenants.withLock({ $0[org] }) { return tenant.now(system: Timestamp.millis(Date())) }
        return nowMillis()
    }

    /// The latest time any clock shows (what may have come due somewhere).
    package func latestMillis() -> Int64 {
        let system = Timestamp.millis(Date())
        return tenants.withLock { $0.values.map { $0.now(system: system) }.max() }.map { max($0, nowMillis()) } ?? nowMillis()
    }

    package var isFrozen: Bool { state.withLock { $0.frozenAt != nil } }

    /// Sets the current time (keeping the frozen/running mode) and/or freezes or releases the shared clock.
    package func set(nowMillis: Int64?, frozen: Bool?) {
        state.withLock { $0.set(nowMillis: nowMillis, frozen: frozen, system: Timestamp.millis(Date())) }
    }

    package func advance(millis: Int64) {
        state.withLock { $0.advance(millis: millis) }
    }

    // MARK: tenants' clocks

    /// A tenant's clock as stored, or nil when `org` is not a tenant's.
    package func tenantState(org: String) -> State? { tenants.withLock { $0[org] } }

    /// Installs (or replaces) a tenant's clock.
    package func setTenant(org: String, _ clock: State) { tenants.withLock { $0[org] = clock } }

    package func removeTenant(org: String) { _ = tenants.withLock { $0.removeValue(forKey: org) } }

    /// Moves a tenant's clock as `set` and `advance` move the shared one; answers its new state.
    package func moveTenant(org: String, nowMillis: Int64?, frozen: Bool?, advanceMillis: Int64 = 0) -> State? {
        tenants.withLock { t in
            guard var clock = t[org] else { return nil }
            clock.set(nowMillis: nowMillis, frozen: frozen, system: Timestamp.millis(Date()))
            clock.advance(millis: advanceMillis)
            t[org] = clock
            return clock
        }
    }

    /// What a tenant's clock shows now.
    package func tenantNow(_ clock: State) -> Int64 { clock.now(system: Timestamp.millis(Date())) }
}

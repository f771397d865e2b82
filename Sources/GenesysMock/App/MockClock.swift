import Foundation
import RecordingsDomain
import Synchronization

/// The one clock of the server. Job pacing and token expiry read it; nothing else calls `Date()`.
/// It follows the system clock, shifted by an offset, unless frozen.
package final class MockClock: Sendable {
    struct State {
        var offsetMillis: Int64 = 0
        var frozenAt: Int64?
    }

    private let state = Mutex(State())

    package init() {}

    /// Milliseconds since the epoch; a clock set near the end of year 9999 stops there rather than writing
    /// five-digit years.
    package func nowMillis() -> Int64 {
        state.withLock { s in min(Timestamp.maxMillis, s.frozenAt ?? (Timestamp.millis(Date()) + s.offsetMillis)) }
    }

    package var isFrozen: Bool { state.withLock { $0.frozenAt != nil } }

    /// Sets the current time (keeping the frozen/running mode) and/or freezes or releases the clock.
    package func set(nowMillis: Int64?, frozen: Bool?) {
        state.withLock { s in
            let system = Timestamp.millis(Date())
            let current = s.frozenAt ?? (system + s.offsetMillis)
            let target = nowMillis ?? current
            let freeze = frozen ?? (s.frozenAt != nil)
            if freeze {
                s.frozenAt = target
            } else {
                s.frozenAt = nil
                s.offsetMillis = target - system
            }
        }
    }

    package func advance(millis: Int64) {
        state.withLock { s in
            if let f = s.frozenAt { s.frozenAt = f + millis } else { s.offsetMillis += millis }
        }
    }
}

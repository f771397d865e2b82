import Synchronization

/// Fixed one-minute windows per token (CONTRACT §7). Counts even when the limit is off, so the
/// `inin-ratelimit-*` headers always tell the truth.
package final class RateLimiter: Sendable {
    package struct Figures: Sendable {
        package var count: Int
        package var allowed: Int
        package var resetSeconds: Int
        package var exceeded: Bool
    }

    /// Requests per minute; 0 = off.
    let limit: Int
    private let windows = Mutex<[String: (start: Int64, count: Int)]>([:])
    static let windowMillis: Int64 = 60_000
    /// What `inin-ratelimit-allowed` says when the limit is off.
    static let unlimited = 2_147_483_647

    package init(limit: Int) { self.limit = limit }

    package func hit(_ key: String, now: Int64) -> Figures {
        windows.withLock { w in
            var entry = w[key] ?? (now, 0)
            if now - entry.start >= Self.windowMillis || now < entry.start { entry = (now, 0) }
            entry.count += 1
            if w.count > 10_000 { w = w.filter { now - $0.value.start < Self.windowMillis } }
            w[key] = entry
            let reset = Int((entry.start + Self.windowMillis - now + 999) / 1000)
            let exceeded = limit > 0 && entry.count > limit
            return Figures(count: entry.count, allowed: limit > 0 ? limit : Self.unlimited, resetSeconds: max(1, reset), exceeded: exceeded)
        }
    }

    package func reset() { windows.withLock { $0.removeAll() } }
}

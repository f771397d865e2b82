import Foundation
import Synchronization

/// Injected failures (CONTRACT §6): HTTP rules matching a method and path pattern for the Nth call or the next
/// K calls, and export faults (a bucket's PutObject denied, a recording failing, slow writes).
package final class FaultStore: Sendable {
    package struct HTTPFault: Sendable, Encodable, Equatable {
        package var id: String
        package var kind = "http"
        /// Which port the rule watches: `api` (the Genesys API and OAuth) or `s3` (the S3 endpoint).
        package var port = Port.api
        package var method: String
        package var path: String
        /// Fire first on the Nth matching call (1-based) from when the rule was added; nil = the next call.
        package var nth: Int?
        /// How many calls it fires for.
        package var count: Int
        package var status: Int?
        package var code: String?
        package var message: String?
        package var retryAfterSeconds: Int?
        package var latencyMs: Int?
        package var dropConnection: Bool
        package var matched = 0
        package var fired = 0
        package var remaining: Int { max(0, count - fired) }

        package enum Port: String, Sendable, Encodable { case api, s3 }

        enum CodingKeys: String, CodingKey {
            case id, kind, port, method, path, nth, count, status, code, message, retryAfterSeconds, latencyMs, dropConnection, matched, fired, remaining
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(kind, forKey: .kind)
            try c.encode(port, forKey: .port)
            try c.encode(method, forKey: .method)
            try c.encode(path, forKey: .path)
            try c.encode(nth, forKey: .nth)
            try c.encode(count, forKey: .count)
            try c.encode(status, forKey: .status)
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
            try c.encode(retryAfterSeconds, forKey: .retryAfterSeconds)
            try c.encode(latencyMs, forKey: .latencyMs)
            try c.encode(dropConnection, forKey: .dropConnection)
            try c.encode(matched, forKey: .matched)
            try c.encode(fired, forKey: .fired)
            try c.encode(remaining, forKey: .remaining)
        }
    }

    package struct ExportFault: Sendable, Encodable, Equatable {
        package var id: String
        package var kind = "export"
        /// Deny PutObject into this bucket: jobs writing to it fail with AccessDenied.
        package var denyPutObjectBucket: String?
        /// Fail the recording at this position of every job (1-based), or this recording id.
        package var failRecordingNumber: Int?
        package var failRecordingId: String?
        package var message: String?
        /// Added latency per object written.
        package var writeLatencyMs: Int?
    }

    private let state = Mutex<(http: [HTTPFault], export: [ExportFault], next: Int)>(([], [], 1))
    /// Whether any rule watches the S3 port: the S3 endpoint's every request checks this without taking the lock.
    private let s3Rules = Atomic<Bool>(false)

    package init() {}

    package func add(_ fault: HTTPFault) -> HTTPFault {
        state.withLock { s in
            var f = fault
            f.id = "fault-\(s.next)"
            s.next += 1
            s.http.append(f)
            if f.port == .s3 { s3Rules.store(true, ordering: .relaxed) }
            return f
        }
    }

    package func add(_ fault: ExportFault) -> ExportFault {
        state.withLock { s in
            var f = fault
            f.id = "fault-\(s.next)"
            s.next += 1
            s.export.append(f)
            return f
        }
    }

    package func list() -> (http: [HTTPFault], export: [ExportFault]) { state.withLock { ($0.http, $0.export) } }

    package func remove(_ id: String) -> Bool {
        state.withLock { s in
            let before = s.http.count + s.export.count
            s.http.removeAll { $0.id == id }
            s.export.removeAll { $0.id == id }
            s3Rules.store(s.http.contains { $0.port == .s3 }, ordering: .relaxed)
            return s.http.count + s.export.count < before
        }
    }

    package func clear() {
        state.withLock { s in
            s = ([], [], s.next)
            s3Rules.store(false, ordering: .relaxed)
        }
    }

    /// The rule that fires for this call, if any (counting the call against every matching rule).
    package func fire(method: String, path: String, port: HTTPFault.Port = .api) -> HTTPFault? {
        if port == .s3, !s3Rules.load(ordering: .relaxed) { return nil }
        return state.withLock { s in
            var hit: HTTPFault?
            for i in s.http.indices where s.http[i].port == port && Self.matches(s.http[i], method: method, path: path) {
                s.http[i].matched += 1
                let f = s.http[i]
                let due = f.nth.map { f.matched >= $0 } ?? true
                if hit == nil, due, f.fired < f.count {
                    s.http[i].fired += 1
                    hit = s.http[i]
                }
            }
            return hit
        }
    }

    static func matches(_ f: HTTPFault, method: String, path: String) -> Bool {
        (f.method == "*" || f.method.caseInsensitiveCompare(method) == .orderedSame) && glob(f.path, path)
    }

    /// `*` matches within one path segment, `**` across segments.
    static func glob(_ pattern: String, _ path: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(path.utf8)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == s.count }
            if p[i] == 42 {
                let deep = i + 1 < p.count && p[i + 1] == 42
                let next = deep ? i + 2 : i + 1
                var k = j
                while true {
                    if match(next, k) { return true }
                    if k == s.count || (!deep && s[k] == 47) { return false }
                    k += 1
                }
            }
            return j < s.count && p[i] == s[j] && match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    // Export faults, as the worker asks about them.

    package func deniesPut(bucket: String) -> Bool {
        state.withLock { $0.export.contains { $0.denyPutObjectBucket == bucket } }
    }

    package func recordingFailure(position: Int, recordingId: String) -> String? {
        state.withLock { s in
            s.export.first { $0.failRecordingNumber == position || $0.failRecordingId == recordingId }
                .map { $0.message ?? "InternalError: We encountered an internal error (fault injected)" }
        }
    }

    package func writeLatencyMs() -> Int { state.withLock { $0.export.compactMap(\.writeLatencyMs).max() ?? 0 } }
}

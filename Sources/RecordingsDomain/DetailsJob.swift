import Foundation

/// An async details job (`POST /api/v2/analytics/conversations/details/jobs`, CONTRACT §15): QUEUED for its
/// queueing time on the mock clock, then FULFILLED until its results expire a day later; CANCELLED when deleted.
public struct DetailsJobTimes: Sendable, Equatable {
    public enum State: String, Sendable { case queued = "QUEUED", fulfilled = "FULFILLED", cancelled = "CANCELLED", expired = "EXPIRED" }

    /// How long a fulfilled job's results stay readable.
    public static let resultLifetimeMillis: Int64 = 86_400_000

    public var submitted: Int64
    public var queuedMillis: Int64
    public var cancelled: Int64?

    public init(submitted: Int64, queuedMillis: Int64, cancelled: Int64?) {
        (self.submitted, self.queuedMillis, self.cancelled) = (submitted, queuedMillis, cancelled)
    }

    public var completion: Int64 { submitted.addingSaturating(queuedMillis) }
    public var expiration: Int64 { completion.addingSaturating(Self.resultLifetimeMillis) }

    public func state(now: Int64) -> State {
        if let cancelled, cancelled < completion { return .cancelled }
        if now < completion { return .queued }
        return now < expiration ? .fulfilled : .expired
    }
}

/// Where the next page of an async job's results starts: after the conversation (start time, id) last served,
/// with how many were served so far (for the job's `limit`). Opaque to clients: base64url of `v1|start|id|served`.
public struct DetailsCursor: Sendable, Equatable {
    public var startTime: Int64
    public var id: String
    public var served: Int

    public init(startTime: Int64, id: String, served: Int) {
        (self.startTime, self.id, self.served) = (startTime, id, served)
    }

    public var encoded: String { Base64URL.encode("v1|\(startTime)|\(served)|\(id)") }

    public init?(encoded: String) {
        guard let text = Base64URL.decode(encoded) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let start = Int64(parts[1]), let served = Int(parts[2]), served >= 0,
              !parts[3].isEmpty, IdentifierRule.isClean(String(parts[3])) else { return nil }
        self.init(startTime: start, id: String(parts[3]), served: served)
    }
}

/// Opaque cursors: base64url without padding, of UTF-8 text, at most 1 KiB.
public enum Base64URL {
    public static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ encoded: String) -> String? {
        guard encoded.utf8.count <= 1024 else { return nil }
        var b64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        b64 += String(repeating: "=", count: (4 - b64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: b64) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}

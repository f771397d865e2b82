import Logging

/// Everything the server is told at start (CLI flags > environment > these defaults). No globals.
package struct AppConfiguration: Sendable {
    package var host = "127.0.0.1"
    package var port = 8080
    package var s3Port = 9000
    package var dataDir = "./data"
    package var fixturesDir = "./fixtures"
    /// Recordings per second per job; 0 = as fast as possible.
    package var exportRate: Double = 5
    /// Mock-clock minutes an archived recording takes to restore.
    package var restoreMinutes: Double = 10
    /// Requests per minute per token; 0 = off.
    package var rateLimit = 300
    package var bodyLimit = 1 << 20
    /// How many requests the journal keeps (`/__admin/requests`).
    package var journalSize = 1000
    /// The largest PutObject body the S3 endpoint takes (no multipart upload).
    package var s3BodyLimit = 64 << 20
    /// Required as `X-Admin-Token` on `/__admin` when the server listens beyond loopback.
    package var adminToken: String?
    /// Host names served besides IP literals, `localhost`, `*.localhost` and `host` (`*` serves any): every other
    /// `Host` header is refused, against DNS rebinding (CONTRACT §17).
    package var allowedHosts: [String] = []
    /// Requests each port handles at once; past it the answer is an immediate 503 (S3: `SlowDown`).
    package var maxInFlight = 512
    /// Connections the kernel queues for each port before the server accepts them.
    package var backlog = 1024
    package var logLevel: Logger.Level = .info

    package init() {}

    package var listensOnLoopbackOnly: Bool {
        host == "127.0.0.1" || host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

package enum MockVersion {
    package static let current = "0.1.0"
}

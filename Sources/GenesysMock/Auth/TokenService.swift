import Foundation
import MockStore
import RecordingsDomain
import Synchronization

/// Client-credentials tokens (CONTRACT §7). Only the SHA-256 of a token is stored; tokens survive restarts.
/// Every authenticated request checks its token, so valid tokens are also kept in memory, trusted while no
/// token row has been updated or deleted since they were read (issuing a token only inserts).
package struct TokenService: Sendable {
    let db: AppDatabase
    let clock: MockClock
    /// Tokens read from the database, keyed by the token as the client sent it (memory only).
    private let cache = GenerationCache<ExactKey, Stored>(capacity: 10_000)

    package init(db: AppDatabase, clock: MockClock) {
        self.db = db
        self.clock = clock
    }

    package struct Issued: Sendable {
        package var token: String
        package var expiresIn: Int
    }

    package enum Failure: Error, Sendable { case invalidClient }

    /// Checks the client's secret and issues a token.
    package func issue(clientId: String, secret: String) async throws -> Issued {
        let clock = self.clock
        let token = Self.randomToken()
        let given = Digest.sha256Hex(Data(secret.utf8))
        let ttl = try await db.issueToken(clientId: clientId, tokenSha256: Digest.sha256Hex(Data(token.utf8)),
                                          now: { clock.nowMillis(org: $0) }) { stored in
            Self.constantTimeEqual(stored, given)
        }
        guard let ttl else { throw Failure.invalidClient }
        return Issued(token: token, expiresIn: ttl)
    }

    package enum Verdict: Sendable {
        case valid(Principal)
        case unknown
        case expired
    }

    struct Stored: Sendable {
        var principal: Principal
        var expiresAt: Int64
    }

    package func authenticate(_ token: String) async throws -> Verdict {
        let generation = db.changes.removals(.accessToken)
        // Keyed by the token itself (in this process's memory only, never written anywhere), so a cached token
        // costs no SHA-256; the database, which outlives the process, only ever sees the hash.
        var stored = cache.get(ExactKey(token), generation: generation)
        if stored == nil {
            let key = Digest.sha256Hex(Data(token.utf8))
            stored = try await db.token(sha256: key).map { row in
                Stored(principal: Principal(clientId: row.clientId, orgId: row.orgId, userId: row.userId, permissions: Set(row.permissions),
                                            tokenKey: key),
                       expiresAt: row.expiresAt)
            }
            if let stored { cache.put(ExactKey(token), stored, generation: generation) }
        }
        guard let stored else { return .unknown }
        guard stored.expiresAt > clock.nowMillis(org: stored.principal.orgId) else { return .expired }
        return .valid(stored.principal)
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

import Foundation
import GRDB

/// OAuth clients and access tokens. Tokens are stored by their SHA-256 only: the database, which outlives the
/// process, never sees a token.
extension AppDatabase {
    /// An access token's row.
    package struct TokenRow: Sendable {
        package var clientId: String
        package var orgId: String
        package var userId: String
        package var permissions: [String]
        package var expiresAt: Int64
    }

    /// Stores a token for the client when `accept` takes the client's stored secret hash; the token's lifetime in
    /// seconds, or nil (no such client, or the secret refused). One transaction.
    /// `now` is the time on the clock of the client's org (a tenant's own, CONTRACT §16).
    package func issueToken(clientId: String, tokenSha256: String, now: @escaping @Sendable (String) -> Int64,
                            accept: @escaping @Sendable (String) -> Bool) async throws -> Int? {
        try StoreKeys.check(clientId)
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM oauth_client WHERE client_id = ?", arguments: [clientId]),
                  accept(row["secret_sha256"]) else { return nil }
            let ttl: Int = row["token_ttl"]
            try db.execute(sql: """
                INSERT INTO access_token (token_sha256, client_id, org_id, user_id, permissions, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [tokenSha256, clientId, row["org_id"] as String, row["user_id"] as String,
                                 row["permissions"] as String, now(row["org_id"]) + Int64(ttl) * 1000])
            return ttl
        }
    }

    /// The token stored under this SHA-256, or nil.
    package func token(sha256 key: String) async throws -> TokenRow? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM access_token WHERE token_sha256 = ?", arguments: [key]).map { row in
                let permissions: String = row["permissions"]
                let list = (try? JSONDecoder().decode([String].self, from: Data(permissions.utf8))) ?? []
                return TokenRow(clientId: row["client_id"], orgId: row["org_id"], userId: row["user_id"], permissions: list,
                                expiresAt: row["expires_at"])
            }
        }
    }
}

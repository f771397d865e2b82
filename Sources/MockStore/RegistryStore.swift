import Foundation
import GRDB
import DocumentCodecs
import RecordingsDomain

/// The registries `/__admin` edits: buckets, integrations and OAuth clients. Adding refuses a name already taken
/// (false); the route answers that in the admin shape.
extension AppDatabase {
    /// Every bucket, local and remote, by name.
    package func allBuckets() async throws -> [WorldSeed.Bucket] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM bucket ORDER BY name").map {
                WorldSeed.Bucket(name: $0["name"], region: $0["region"], objectLockEnabled: $0["object_lock_enabled"], denyPut: $0["deny_put"],
                                 remoteJSON: $0["remote"])
            }
        }
    }

    package func add(bucket b: WorldSeed.Bucket, now: Int64) async throws -> Bool {
        try await write { db in try Self.insert(bucket: b, db, now: now) }
    }

    /// The one insertion of a bucket row (the registry's and S3's CreateBucket); false when the name is taken.
    static func insert(bucket b: WorldSeed.Bucket, _ db: Database, now: Int64) throws -> Bool {
        if try Self.bucket(db, name: b.name) != nil { return false }
        try db.execute(sql: "INSERT INTO bucket (name, region, object_lock_enabled, deny_put, created, remote) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [b.name, b.region, b.objectLockEnabled, b.denyPut, now, b.remoteJSON])
        return true
    }

    /// Every integration, by org then name.
    package func allIntegrations() async throws -> [WorldSeed.Integration] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM integration ORDER BY org_id, name").map(IntegrationInfo.init(row:))
        }
    }

    package func add(integration i: WorldSeed.Integration) async throws -> Bool {
        try StoreKeys.check(i.id, i.orgId)
        return try await write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM integration WHERE id = ?", arguments: [i.id]) != nil { return false }
            try db.execute(sql: "INSERT INTO integration (id, org_id, name, integration_type, bucket_name, region) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [i.id, i.orgId, i.name, i.integrationType, i.bucketName, i.region])
            return true
        }
    }

    /// Every OAuth client (its secret's hash included), by org then client id.
    package func allClients() async throws -> [WorldSeed.Client] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM oauth_client ORDER BY org_id, client_id").map { row in
                let perms: String = row["permissions"]
                return WorldSeed.Client(clientId: row["client_id"], secretSha256: row["secret_sha256"], name: row["name"], orgId: row["org_id"],
                                        userId: row["user_id"], permissions: (try? JSONDecoder().decode([String].self, from: Data(perms.utf8))) ?? [],
                                        tokenTtlSeconds: row["token_ttl"])
            }
        }
    }

    package func add(client c: WorldSeed.Client) async throws -> Bool {
        try StoreKeys.check(c.clientId, c.orgId)
        return try await write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM oauth_client WHERE client_id = ?", arguments: [c.clientId]) != nil { return false }
            try db.execute(sql: """
                INSERT INTO oauth_client (client_id, secret_sha256, name, org_id, user_id, permissions, token_ttl) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.clientId, c.secretSha256, c.name, c.orgId, c.userId, try CanonicalJSON.string(c.permissions), c.tokenTtlSeconds])
            return true
        }
    }
}

import Foundation
import GRDB
import RecordingsDomain

/// Puts the fixtures into the database. Rows that already exist are kept (state survives restarts; a
/// changed fixture folder only adds what is new).
enum Seeder {
    static func seedIfNeeded(_ db: AppDatabase, fixtures: FixtureSet, now: Int64) async throws {
        try await db.write { db in
            let current = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fixtures_hash'")
            guard current != fixtures.hash else { return }
            try seed(db, fixtures, now: now)
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('fixtures_hash', ?)", arguments: [fixtures.hash])
        }
    }

    static func seed(_ db: Database, _ f: FixtureSet, now: Int64) throws {
        for o in f.orgs {
            try db.execute(sql: "INSERT OR IGNORE INTO org (id, name) VALUES (?, ?)", arguments: [o.id, o.name])
        }
        for c in f.clients {
            try db.execute(sql: """
                INSERT OR REPLACE INTO oauth_client (client_id, secret_sha256, name, org_id, user_id, permissions, token_ttl)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.clientId, Digest.sha256Hex(Data(c.clientSecret.utf8)), c.name, c.orgId, c.userId,
                                 try CanonicalJSON.string(c.permissions), c.tokenTtlSeconds])
        }
        for h in f.holds {
            try db.execute(sql: """
                INSERT OR IGNORE INTO legal_hold (org_id, case_id, name, description, status, created_date, released_date,
                    conversation_ids, filter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [h.orgId, h.caseId, h.name, h.description, h.status.rawValue,
                                 Timestamp.parse(h.createdDate).map(Timestamp.millis) ?? 0,
                                 h.releasedDate.flatMap(Timestamp.parse).map(Timestamp.millis),
                                 try CanonicalJSON.string(h.conversationIds), try h.filter.map(CanonicalJSON.string)])
        }
        for b in f.buckets {
            try db.execute(sql: """
                INSERT OR REPLACE INTO bucket (name, region, object_lock_enabled, deny_put, created, remote) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [b.name, b.region, b.objectLockEnabled, b.policy.denyPutObject, now, b.remote?.storedJSON])
        }
        for k in f.accessKeys {
            try db.execute(sql: "INSERT OR REPLACE INTO s3_access_key (access_key_id, secret, name) VALUES (?, ?, ?)",
                           arguments: [k.accessKeyId, k.secretAccessKey, k.name])
        }
        for i in f.integrations {
            try db.execute(sql: """
                INSERT OR REPLACE INTO integration (id, org_id, name, integration_type, bucket_name, region)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [i.id, i.orgId, i.name, i.integrationType, i.bucketName, i.region])
        }
        let stmt = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO conversation (id, org_id, messenger_type, start_time, recording_id, document)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for c in f.conversations {
            try stmt.execute(arguments: [c.id, c.orgId, c.messengerType, c.startDate.map(Timestamp.millis) ?? 0,
                                         c.recordingId, try CanonicalJSON.string(c)])
        }
    }
}

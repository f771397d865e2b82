import GRDB
import DocumentCodecs
import RecordingsDomain

/// The seeded world as the store's rows: what the fixtures folder (or a generator) gives, ready to insert.
package struct WorldSeed: Sendable {
    package struct Client: Sendable {
        package var clientId, secretSha256, name, orgId, userId: String
        package var permissions: [String]
        package var tokenTtlSeconds: Int
        package init(clientId: String, secretSha256: String, name: String, orgId: String, userId: String, permissions: [String],
                     tokenTtlSeconds: Int) {
            (self.clientId, self.secretSha256, self.name, self.orgId, self.userId) = (clientId, secretSha256, name, orgId, userId)
            (self.permissions, self.tokenTtlSeconds) = (permissions, tokenTtlSeconds)
        }
    }

    package struct Hold: Sendable {
        package var orgId, caseId, name, description: String
        package var status: LegalHoldStatus
        package var created: Int64
        package var released: Int64?
        package var conversationIds: [String]
        package var filter: HoldFilter?
        package init(orgId: String, caseId: String, name: String, description: String, status: LegalHoldStatus, created: Int64,
                     released: Int64?, conversationIds: [String], filter: HoldFilter?) {
            (self.orgId, self.caseId, self.name, self.description, self.status) = (orgId, caseId, name, description, status)
            (self.created, self.released, self.conversationIds, self.filter) = (created, released, conversationIds, filter)
        }
    }

    package struct Bucket: Sendable {
        package var name, region: String
        package var objectLockEnabled, denyPut: Bool
        /// A remote bucket's settings as stored (nil: the local sink).
        package var remoteJSON: String?
        package init(name: String, region: String, objectLockEnabled: Bool, denyPut: Bool, remoteJSON: String?) {
            (self.name, self.region, self.objectLockEnabled, self.denyPut, self.remoteJSON) = (name, region, objectLockEnabled, denyPut, remoteJSON)
        }
    }

    package typealias Integration = AppDatabase.IntegrationInfo

    /// One row of `conversation`, its document as stored.
    package struct Conversation: Sendable {
        package var id, orgId, messengerType: String
        package var start: Int64
        package var recordingId, document: String
        package init(id: String, orgId: String, messengerType: String, start: Int64, recordingId: String, document: String) {
            (self.id, self.orgId, self.messengerType, self.start, self.recordingId, self.document) = (id, orgId, messengerType, start, recordingId, document)
        }
    }

    package var hash: String
    package var orgs: [(id: String, name: String)] = []
    package var clients: [Client] = []
    package var holds: [Hold] = []
    package var buckets: [Bucket] = []
    package var accessKeys: [(id: String, secret: String, name: String)] = []
    package var integrations: [Integration] = []
    package var conversations: [Conversation] = []

    package init(hash: String) { self.hash = hash }
}

extension AppDatabase {
    /// Puts the seed into the database unless it is the one already there. Rows that already exist are kept (state
    /// survives restarts; a changed fixture folder only adds what is new).
    package func seedIfChanged(_ seed: WorldSeed, now: Int64) async throws {
        try await write { db in
            let current = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fixtures_hash'")
            guard current != seed.hash else { return }
            try Self.insert(seed, db, now: now)
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('fixtures_hash', ?)", arguments: [seed.hash])
        }
    }

    /// Back to the seed: every job, batch download, setting, object, upload, audit entry, hold, protection rule and
    /// conversation of the shared world goes, then the seed is inserted, in one transaction. Tenants (CONTRACT §16)
    /// keep their worlds, clients, keys and buckets; the audit log, one chain, starts over for all. Tokens of clients
    /// that still exist stay valid.
    package func reset(to seed: WorldSeed, now: Int64) async throws {
        let tenants = "(SELECT org_id FROM tenant)", owned = "(SELECT name FROM bucket WHERE org_id IS NOT NULL)"
        let scoped: [(String, String)] = [
            ("batch_download_result", "batch_id IN (SELECT id FROM batch_download WHERE org_id NOT IN \(tenants))"),
            ("batch_download", "org_id NOT IN \(tenants)"), ("recording_settings", "org_id NOT IN \(tenants)"),
            ("details_job", "org_id NOT IN \(tenants)"),
            ("job_item", "job_id IN (SELECT id FROM job WHERE org_id NOT IN \(tenants))"), ("job", "org_id NOT IN \(tenants)"),
            ("s3_object", "bucket NOT IN \(owned)"),
            ("s3_part", "upload_id IN (SELECT upload_id FROM s3_upload WHERE bucket NOT IN \(owned))"),
            ("s3_upload", "bucket NOT IN \(owned)"), ("audit_log", "1"),
            ("deletion_protection", "org_id NOT IN \(tenants)"), ("legal_hold", "org_id NOT IN \(tenants)"),
            ("conversation", "org_id NOT IN \(tenants)"), ("integration", "org_id NOT IN \(tenants)"), ("bucket", "org_id IS NULL"),
            ("s3_access_key", "org_id IS NULL"), ("oauth_client", "org_id NOT IN \(tenants)"), ("org", "id NOT IN \(tenants)"), ("meta", "1"),
        ]
        try await write { db in
            for (table, scope) in scoped {
                try db.execute(sql: "DELETE FROM \(table) WHERE \(scope)")
            }
            try Self.insert(seed, db, now: now)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('fixtures_hash', ?)", arguments: [seed.hash])
            try db.execute(sql: "DELETE FROM access_token WHERE client_id NOT IN (SELECT client_id FROM oauth_client)")
        }
        changes.bumpAll()
        caches.retentionDue.lower(to: .min)
    }

    /// What the sink keeps at a reset of the shared world: the tenants' bucket folders and their uploads' parts.
    package func tenantStorage() async throws -> (buckets: Set<String>, uploads: Set<String>) {
        try await read { db in
            (Set(try String.fetchAll(db, sql: "SELECT name FROM bucket WHERE org_id IS NOT NULL")),
             Set(try String.fetchAll(db, sql: "SELECT upload_id FROM s3_upload WHERE bucket IN (SELECT name FROM bucket WHERE org_id IS NOT NULL)")))
        }
    }

    /// Adds generated conversations (ids already present are kept); how many were new.
    package func insert(conversations rows: [WorldSeed.Conversation]) async throws -> Int {
        try await write { db in
            let statement = try Self.conversationInsert(db)
            var n = 0
            for r in rows {
                try statement.execute(arguments: [r.id, r.orgId, r.messengerType, r.start, r.recordingId, r.document])
                n += db.changesCount
            }
            return n
        }
    }

    /// The org named, or the first seeded org when none is named; nil when there is no such org.
    package func org(named requested: String?) async throws -> String? {
        try StoreKeys.check(requested)
        return try await read { db in
            if let requested { return try String.fetchOne(db, sql: "SELECT id FROM org WHERE id = ?", arguments: [requested]) }
            return try String.fetchOne(db, sql: "SELECT id FROM org ORDER BY rowid LIMIT 1")
        }
    }

    static func conversationInsert(_ db: Database) throws -> Statement {
        try db.makeStatement(sql: """
            INSERT OR IGNORE INTO conversation (id, org_id, messenger_type, start_time, recording_id, document)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
    }

    static func insert(_ f: WorldSeed, _ db: Database, now: Int64) throws {
        for o in f.orgs {
            try db.execute(sql: "INSERT OR IGNORE INTO org (id, name) VALUES (?, ?)", arguments: [o.id, o.name])
        }
        for c in f.clients {
            try db.execute(sql: """
                INSERT OR REPLACE INTO oauth_client (client_id, secret_sha256, name, org_id, user_id, permissions, token_ttl)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.clientId, c.secretSha256, c.name, c.orgId, c.userId, try CanonicalJSON.string(c.permissions), c.tokenTtlSeconds])
        }
        for h in f.holds {
            try db.execute(sql: """
                INSERT OR IGNORE INTO legal_hold (org_id, case_id, name, description, status, created_date, released_date,
                    conversation_ids, filter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [h.orgId, h.caseId, h.name, h.description, h.status.rawValue, h.created, h.released,
                                 try CanonicalJSON.string(h.conversationIds), try h.filter.map(CanonicalJSON.string)])
        }
        for b in f.buckets {
            try db.execute(sql: """
                INSERT OR REPLACE INTO bucket (name, region, object_lock_enabled, deny_put, created, remote) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [b.name, b.region, b.objectLockEnabled, b.denyPut, now, b.remoteJSON])
        }
        for k in f.accessKeys {
            try db.execute(sql: "INSERT OR REPLACE INTO s3_access_key (access_key_id, secret, name) VALUES (?, ?, ?)",
                           arguments: [k.id, k.secret, k.name])
        }
        for i in f.integrations {
            try db.execute(sql: """
                INSERT OR REPLACE INTO integration (id, org_id, name, integration_type, bucket_name, region)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [i.id, i.orgId, i.name, i.integrationType, i.bucketName, i.region])
        }
        let stmt = try conversationInsert(db)
        for c in f.conversations {
            try stmt.execute(arguments: [c.id, c.orgId, c.messengerType, c.start, c.recordingId, c.document])
        }
    }
}

import DocumentCodecs
import GRDB
import RecordingsDomain

/// Tenants (CONTRACT §16): orgs made on demand, each with its own world. Creating, resetting and deleting one is a
/// single transaction, so a crash leaves the tenant whole or absent, never half made. The files of its buckets go
/// after the transaction commits; a file left by a crash in between has no row, and S3 and the exports go by the
/// object index, so it is never seen (and a new export of its key replaces it). Nothing of another org is touched:
/// every statement names the tenant's org or its buckets.
extension AppDatabase {
    package struct TenantRecord: Sendable, Equatable {
        package var id: String
        package var name: String
        package var orgId: String
        package var created: Int64
        package var conversations: Int
        /// `TenantWorldRecord` as JSON: what the tenant was made with (ids, names, no secrets).
        package var world: String
        /// The tenant's clock: an offset from the system clock, or the instant it is frozen at.
        package var clockOffset: Int64 = 0
        package var clockFrozen: Int64? = nil

        package init(id: String, name: String, orgId: String, created: Int64, conversations: Int, world: String) {
            (self.id, self.name, self.orgId, self.created, self.conversations, self.world) = (id, name, orgId, created, conversations, world)
        }
    }

    /// What the sink holds for a tenant whose rows are gone: its bucket folders and its uploads' parts.
    package struct TenantStorage: Sendable, Equatable {
        package var buckets: [String]
        package var uploads: [String]
    }

    package enum TenantCreation: Sendable, Equatable {
        case created
        case nameTaken
        /// A bucket of the new tenant already exists (named by someone else).
        case bucketTaken(String)
    }

    /// The rows of a tenant's world that a reset puts back, by table, each `DELETE … WHERE` naming the tenant alone.
    /// Clients, S3 keys, tokens, the tenant row and the audit log stay (the audit chain is append-only), and so do
    /// its conversations, whose documents never change: a reset restores only what can change on them.
    private static let worldTables: [(table: String, scope: String)] = [
        ("batch_download_result", "batch_id IN (SELECT id FROM batch_download WHERE org_id = :org)"),
        ("batch_download", "org_id = :org"),
        ("recording_settings", "org_id = :org"),
        ("details_job", "org_id = :org"),
        ("job_item", "job_id IN (SELECT id FROM job WHERE org_id = :org)"),
        ("job", "org_id = :org"),
        ("s3_object", "bucket IN (SELECT name FROM bucket WHERE org_id = :org)"),
        ("s3_part", "upload_id IN (SELECT upload_id FROM s3_upload WHERE bucket IN (SELECT name FROM bucket WHERE org_id = :org))"),
        ("s3_upload", "bucket IN (SELECT name FROM bucket WHERE org_id = :org)"),
        ("deletion_protection", "org_id = :org"),
        ("legal_hold", "org_id = :org"),
        ("integration", "org_id = :org"),
        ("bucket", "org_id = :org"),
    ]

    /// Makes a tenant and its world in one transaction; nothing when its name or a bucket name is taken.
    package func createTenant(_ tenant: TenantRecord, world: WorldSeed, now: Int64) async throws -> TenantCreation {
        try StoreKeys.check(tenant.id, tenant.name, tenant.orgId)
        return try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM tenant WHERE name = ?", arguments: [tenant.name]) == true { return .nameTaken }
            for b in world.buckets where try Bool.fetchOne(db, sql: "SELECT 1 FROM bucket WHERE name = ?", arguments: [b.name]) == true {
                return .bucketTaken(b.name)
            }
            try Self.insert(world, db, now: now)
            try Self.own(world, org: tenant.orgId, db)
            try db.execute(sql: """
                INSERT INTO tenant (id, name, org_id, created, conversations, world) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [tenant.id, tenant.name, tenant.orgId, tenant.created, tenant.conversations, tenant.world])
            return .created
        }
    }

    package func tenants() async throws -> [TenantRecord] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM tenant ORDER BY created, id").map(Self.tenant) }
    }

    package func tenant(id: String) async throws -> TenantRecord? {
        try StoreKeys.check(id)
        return try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM tenant WHERE id = ?", arguments: [id]).map(Self.tenant) }
    }

    /// The tenant an org is, if it is one.
    package func tenant(orgId: String) async throws -> TenantRecord? {
        try StoreKeys.check(orgId)
        return try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM tenant WHERE org_id = ?", arguments: [orgId]).map(Self.tenant) }
    }

    /// The tenant's world back to `world` (what its creation made; its clients, keys and conversations are not read):
    /// its jobs, objects, uploads, batch downloads, details jobs, settings, protections, holds, integration and buckets
    /// go and the world's are inserted again; its conversations lose what retention and exports did to them; its
    /// clock runs on the system's time again. Its clients, keys and tokens stay valid. Answers what the sink holds
    /// for it (to remove next), or nil when there is no such tenant.
    package func resetTenant(id: String, world: WorldSeed, now: Int64) async throws -> TenantStorage? {
        try StoreKeys.check(id)
        let storage: TenantStorage? = try await write { db in
            guard let org = try String.fetchOne(db, sql: "SELECT org_id FROM tenant WHERE id = ?", arguments: [id]) else { return nil }
            let storage = try Self.storage(of: org, db)
            try Self.clearWorld(of: org, db)
            try Self.restoreConversations(of: org, db)
            var fresh = world
            (fresh.orgs, fresh.clients, fresh.accessKeys, fresh.conversations) = ([], [], [], [])
            try Self.insert(fresh, db, now: now)
            try Self.own(fresh, org: org, db)
            try db.execute(sql: "UPDATE tenant SET clock_offset = 0, clock_frozen = NULL WHERE id = ?", arguments: [id])
            return storage
        }
        changes.bumpAll()
        caches.retentionDue.lower(to: .min)
        return storage
    }

    /// Removes the tenant and everything of its org but the audit trail: its tokens answer 401 from now on. Answers
    /// what the sink holds for it (to remove next), or nil when there is no such tenant.
    package func deleteTenant(id: String) async throws -> TenantStorage? {
        try StoreKeys.check(id)
        let storage: TenantStorage? = try await write { db in
            guard let org = try String.fetchOne(db, sql: "SELECT org_id FROM tenant WHERE id = ?", arguments: [id]) else { return nil }
            let storage = try Self.storage(of: org, db)
            try Self.clearWorld(of: org, db)
            let args: StatementArguments = ["org": org]
            try db.execute(sql: "DELETE FROM conversation WHERE org_id = :org", arguments: args)
            try db.execute(sql: "DELETE FROM tenant WHERE id = :id", arguments: ["id": id])
            try db.execute(sql: "DELETE FROM access_token WHERE org_id = :org", arguments: args)
            try db.execute(sql: "DELETE FROM oauth_client WHERE org_id = :org", arguments: args)
            try db.execute(sql: "DELETE FROM s3_access_key WHERE org_id = :org", arguments: args)
            try db.execute(sql: "DELETE FROM org WHERE id = :org", arguments: args)
            return storage
        }
        changes.bumpAll()
        caches.retentionDue.lower(to: .min)
        return storage
    }

    private static func storage(of org: String, _ db: Database) throws -> TenantStorage {
        TenantStorage(buckets: try String.fetchAll(db, sql: "SELECT name FROM bucket WHERE org_id = ?", arguments: [org]),
                      uploads: try String.fetchAll(db, sql: "SELECT upload_id FROM s3_upload WHERE bucket IN (SELECT name FROM bucket WHERE org_id = ?)",
                                                   arguments: [org]))
    }

    private static func clearWorld(of org: String, _ db: Database) throws {
        for (table, scope) in worldTables {
            try db.execute(sql: "DELETE FROM \(table) WHERE \(scope)", arguments: ["org": org])
        }
    }

    /// The tenant's conversations as they were made: not deleted, archived or restored, with no retention date. Only
    /// rows that changed are written, so a reset costs the same for ten conversations as for ten thousand.
    private static func restoreConversations(of org: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE conversation SET deleted = 0, exported_date = NULL, archived_date = NULL, archive_date = NULL, delete_date = NULL,
                export_date = NULL, restore_ready = NULL, restore_until = NULL
            WHERE org_id = ? AND (deleted != 0 OR exported_date IS NOT NULL OR archived_date IS NOT NULL OR archive_date IS NOT NULL
                OR delete_date IS NOT NULL OR export_date IS NOT NULL OR restore_ready IS NOT NULL OR restore_until IS NOT NULL)
            """, arguments: [org])
    }

    /// Marks a tenant's buckets and S3 keys as the org's own.
    private static func own(_ world: WorldSeed, org: String, _ db: Database) throws {
        for b in world.buckets {
            try db.execute(sql: "UPDATE bucket SET org_id = ? WHERE name = ?", arguments: [org, b.name])
        }
        for k in world.accessKeys {
            try db.execute(sql: "UPDATE s3_access_key SET org_id = ? WHERE access_key_id = ?", arguments: [org, k.id])
        }
    }

    /// Stores a tenant's clock (it survives a restart); false when there is no such tenant.
    @discardableResult
    package func setTenantClock(id: String, offset: Int64, frozen: Int64?) async throws -> Bool {
        try StoreKeys.check(id)
        return try await write { db in
            try db.execute(sql: "UPDATE tenant SET clock_offset = ?, clock_frozen = ? WHERE id = ?", arguments: [offset, frozen, id])
            return db.changesCount > 0
        }
    }

    static func tenant(_ row: Row) -> TenantRecord {
        var t = TenantRecord(id: row["id"], name: row["name"], orgId: row["org_id"], created: row["created"],
                             conversations: row["conversations"], world: row["world"])
        (t.clockOffset, t.clockFrozen) = (row["clock_offset"], row["clock_frozen"])
        return t
    }
}

extension AppDatabase {
    /// A tenant with its jobs at a glance, for the console's Tenants page.
    package struct TenantSummary: Sendable {
        package var tenant: TenantRecord
        package var activeJobs: Int
        package var fulfilledJobs: Int
        package var failedJobs: Int
    }

    /// Every tenant, oldest first, with its jobs counted by state (on the (org_id, kind, state) index).
    package func tenantSummaries() async throws -> [TenantSummary] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.*,
                    (SELECT COUNT(*) FROM job j WHERE j.org_id = t.org_id AND j.state IN ('PENDING', 'READY', 'PROCESSING')) AS active,
                    (SELECT COUNT(*) FROM job j WHERE j.org_id = t.org_id AND j.state = 'FULFILLED') AS fulfilled,
                    (SELECT COUNT(*) FROM job j WHERE j.org_id = t.org_id AND j.state = 'FAILED') AS failed
                FROM tenant t ORDER BY t.created, t.id
                """).map { row in
                TenantSummary(tenant: Self.tenant(row), activeJobs: row["active"], fulfilledJobs: row["fulfilled"], failedJobs: row["failed"])
            }
        }
    }
}

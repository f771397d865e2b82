import GRDB

extension AppDatabase {
    /// Times are stored as integer milliseconds since the epoch (UTC); JSON documents as text.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE org (id TEXT PRIMARY KEY, name TEXT NOT NULL);
                CREATE TABLE oauth_client (
                    client_id TEXT PRIMARY KEY, secret_sha256 TEXT NOT NULL, name TEXT NOT NULL,
                    org_id TEXT NOT NULL REFERENCES org(id), user_id TEXT NOT NULL,
                    permissions TEXT NOT NULL, token_ttl INTEGER NOT NULL);
                CREATE TABLE access_token (
                    token_sha256 TEXT PRIMARY KEY, client_id TEXT NOT NULL, org_id TEXT NOT NULL,
                    user_id TEXT NOT NULL, permissions TEXT NOT NULL, expires_at INTEGER NOT NULL);
                CREATE TABLE legal_hold (
                    org_id TEXT NOT NULL, case_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
                    status TEXT NOT NULL, created_date INTEGER NOT NULL, released_date INTEGER,
                    conversation_ids TEXT NOT NULL, filter TEXT, PRIMARY KEY (org_id, case_id));
                CREATE TABLE bucket (
                    name TEXT PRIMARY KEY, region TEXT NOT NULL, object_lock_enabled INTEGER NOT NULL,
                    deny_put INTEGER NOT NULL);
                CREATE TABLE s3_access_key (access_key_id TEXT PRIMARY KEY, secret TEXT NOT NULL, name TEXT NOT NULL);
                CREATE TABLE integration (
                    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, integration_type TEXT NOT NULL,
                    bucket_name TEXT NOT NULL, region TEXT NOT NULL);
                CREATE TABLE conversation (
                    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, messenger_type TEXT NOT NULL,
                    start_time INTEGER NOT NULL, recording_id TEXT NOT NULL UNIQUE, document TEXT NOT NULL,
                    exported_date INTEGER, deleted INTEGER NOT NULL DEFAULT 0);
                CREATE INDEX conversation_by_org_start ON conversation(org_id, start_time);
                CREATE TABLE job (
                    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
                    request TEXT NOT NULL, case_id TEXT, bucket TEXT NOT NULL, region TEXT NOT NULL, prefix TEXT,
                    user_id TEXT NOT NULL, client_id TEXT NOT NULL,
                    date_created INTEGER NOT NULL, date_started INTEGER, date_completed INTEGER,
                    total_conversations INTEGER NOT NULL DEFAULT 0, total_recordings INTEGER NOT NULL DEFAULT 0,
                    total_processed INTEGER NOT NULL DEFAULT 0, total_skipped INTEGER NOT NULL DEFAULT 0,
                    total_failed INTEGER NOT NULL DEFAULT 0, manifest_key TEXT, error_message TEXT);
                CREATE INDEX job_by_org ON job(org_id, date_created);
                CREATE INDEX job_by_state ON job(state);
                CREATE TABLE job_item (
                    job_id TEXT NOT NULL REFERENCES job(id), seq INTEGER NOT NULL, conversation_id TEXT NOT NULL,
                    recording_id TEXT NOT NULL, status TEXT NOT NULL, error_message TEXT,
                    PRIMARY KEY (job_id, seq));
                CREATE INDEX job_item_pending ON job_item(job_id, status, seq);
                CREATE TABLE s3_object (
                    bucket TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
                    sha256 TEXT NOT NULL, content_type TEXT NOT NULL, user_metadata TEXT NOT NULL,
                    legal_hold INTEGER NOT NULL, last_modified INTEGER NOT NULL, job_id TEXT,
                    PRIMARY KEY (bucket, key));
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, event TEXT NOT NULL, org_id TEXT,
                    case_id TEXT, job_id TEXT, record TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
                CREATE INDEX audit_by_job ON audit_log(job_id, seq);
                """)
        }
        m.registerMigration("v2: recording jobs, deletion protection, archive, bucket dates") { db in
            try db.execute(sql: """
                ALTER TABLE job ADD COLUMN action TEXT NOT NULL DEFAULT 'EXPORT';
                ALTER TABLE job ADD COLUMN selection TEXT;
                ALTER TABLE conversation ADD COLUMN archived_date INTEGER;
                ALTER TABLE bucket ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE deletion_protection (
                    org_id TEXT NOT NULL, conversation_id TEXT NOT NULL, created INTEGER NOT NULL,
                    PRIMARY KEY (org_id, conversation_id));
                CREATE INDEX job_by_org_kind_state ON job(org_id, kind, state);
                """)
        }
        m.registerMigration("v3: S3 multipart uploads") { db in
            try db.execute(sql: """
                CREATE TABLE s3_upload (
                    upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, created INTEGER NOT NULL,
                    content_type TEXT NOT NULL, user_metadata TEXT NOT NULL, legal_hold INTEGER NOT NULL);
                CREATE INDEX s3_upload_by_key ON s3_upload(bucket, key, upload_id);
                CREATE TABLE s3_part (
                    upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
                    last_modified INTEGER NOT NULL, PRIMARY KEY (upload_id, part_number));
                """)
        }
        m.registerMigration("v4: remote buckets") { db in
            // The remote store's endpoint, addressing and the NAMES of the environment variables holding its
            // credentials, as JSON; NULL for a bucket in the local sink. Never a credential itself.
            try db.execute(sql: "ALTER TABLE bucket ADD COLUMN remote TEXT")
        }
        m.registerMigration("v5: export dates on the job items") { db in
            // An export stamps every recording it writes. Stamped in `conversation`, each stamp rewrote a row with
            // its whole document, scattered over the table: an export of 100k recordings wrote 6 GB more to the
            // disk, and its syncs waited for them. The stamp now goes on the job item, whose row the same
            // transaction updates anyway. `conversation.exported_date` is no longer written; it still answers for
            // exports made before this version (dropping it would rewrite the whole table at the first start). The
            // index has the conversation alone, so that stamping an item never moves an entry in it.
            try db.execute(sql: """
                ALTER TABLE job_item ADD COLUMN written_at INTEGER;
                CREATE INDEX job_item_by_conversation ON job_item(conversation_id);
                """)
        }
        m.registerMigration("v6: conversation start times on the job items") { db in
            // A manifest names each object by a key made from its conversation's start time. Read from
            // `conversation`, that cost a page of a conversation's document per recording (100k pages for a 100k
            // export) while the finisher ran alone. The count, which reads it anyway, now copies it onto the item.
            // Items counted before this version have NULL here, and the manifest reads `conversation` for them.
            try db.execute(sql: "ALTER TABLE job_item ADD COLUMN start_time INTEGER")
        }
        m.registerMigration("v7: object tags and Object Lock retention") { db in
            // Kept with the object's record (NULL: none), so a tag or a retention lives and dies with the object and
            // survives a restart. An upload carries those its CreateMultipartUpload asked for until Complete.
            try db.execute(sql: """
                ALTER TABLE s3_object ADD COLUMN tags TEXT;
                ALTER TABLE s3_object ADD COLUMN retention_mode TEXT;
                ALTER TABLE s3_object ADD COLUMN retain_until INTEGER;
                ALTER TABLE s3_upload ADD COLUMN tags TEXT;
                ALTER TABLE s3_upload ADD COLUMN retention_mode TEXT;
                ALTER TABLE s3_upload ADD COLUMN retain_until INTEGER;
                """)
        }
        m.registerMigration("v8: batch downloads, recording settings, async details jobs, retention dates") { db in
            // A week's details query counts and pages on the (org_id, start_time) index alone: with the id, the deleted
            // flag and the messenger type in it, no table row is read until a page's documents are.
            // A batch request's results are resolved when it is submitted and become readable on the mock clock
            // (`BatchDownloadPacing`); each result's download token is its URL, so it is unique and never reused.
            try db.execute(sql: """
                CREATE TABLE batch_download (
                    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
                    created INTEGER NOT NULL, first_ms INTEGER NOT NULL, interval_ms INTEGER NOT NULL,
                    url_ttl_ms INTEGER NOT NULL, result_count INTEGER NOT NULL);
                CREATE INDEX batch_download_by_org ON batch_download(org_id, created);
                CREATE TABLE batch_download_result (
                    batch_id TEXT NOT NULL REFERENCES batch_download(id), seq INTEGER NOT NULL,
                    conversation_id TEXT NOT NULL, recording_id TEXT NOT NULL, token TEXT UNIQUE, error_msg TEXT,
                    PRIMARY KEY (batch_id, seq));
                CREATE TABLE recording_settings (org_id TEXT PRIMARY KEY, document TEXT NOT NULL);
                DROP INDEX conversation_by_org_start;
                CREATE INDEX conversation_by_org_start ON conversation(org_id, start_time, id, deleted, messenger_type);
                ALTER TABLE conversation ADD COLUMN archive_date INTEGER;
                ALTER TABLE conversation ADD COLUMN delete_date INTEGER;
                ALTER TABLE conversation ADD COLUMN export_date INTEGER;
                ALTER TABLE conversation ADD COLUMN restore_ready INTEGER;
                ALTER TABLE conversation ADD COLUMN restore_until INTEGER;
                CREATE INDEX conversation_archive_due ON conversation(archive_date) WHERE archive_date IS NOT NULL AND archived_date IS NULL;
                CREATE INDEX conversation_delete_due ON conversation(delete_date) WHERE delete_date IS NOT NULL;
                CREATE TABLE details_job (
                    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, client_id TEXT NOT NULL, query TEXT NOT NULL,
                    submitted INTEGER NOT NULL, queued_ms INTEGER NOT NULL, cancelled INTEGER);
                """)
        }
        m.registerMigration("v9: tenants") { db in
            // A tenant is an org made on demand with its own world (CONTRACT §16). `world` is what its creation made
            // and a reset makes again (JSON: `TenantWorldRecord`); secrets are not in it. Buckets and S3 keys get an
            // owner: a tenant's key reaches only its own buckets, and no other key reaches them. NULL: the fixtures'
            // world, shared as before.
            try db.execute(sql: """
                CREATE TABLE tenant (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL UNIQUE REFERENCES org(id),
                    created INTEGER NOT NULL, conversations INTEGER NOT NULL, world TEXT NOT NULL,
                    clock_offset INTEGER NOT NULL DEFAULT 0, clock_frozen INTEGER);
                ALTER TABLE bucket ADD COLUMN org_id TEXT;
                ALTER TABLE s3_access_key ADD COLUMN org_id TEXT;
                CREATE INDEX bucket_by_org ON bucket(org_id) WHERE org_id IS NOT NULL;
                """)
        }
        return m
    }
}

import GRDB
import RecordingsDomain

/// The append-only, hash-chained audit log (CONTRACT §5). Appends happen inside the caller's transaction, so an
/// entry exists exactly when the change it describes was committed.
enum AuditLog {
    @discardableResult
    static func append(_ db: Database, time: Int64, event: String, orgId: String?, caseId: String? = nil,
                       jobId: String? = nil, fields: [String: JSONValue] = [:]) throws -> Int64 {
        // Cached statements: an export appends one entry per object.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let prev: String = last?["hash"] ?? AuditChain.genesisHash
        let record = AuditChain.record(seq: seq, time: Timestamp.format(millis: time), event: event, orgId: orgId,
                                       caseId: caseId, jobId: jobId, fields: fields)
        let hash = AuditChain.hash(prevHash: prev, record: record)
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, time, event, org_id, case_id, job_id, record, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, time, event, orgId, caseId, jobId, record, prev, hash])
        return seq
    }

    /// Up to `limit` of a job's entries after `afterSeq`, up to and including `throughSeq`, in chain order.
    static func slice(_ db: Database, jobId: String, afterSeq: Int64 = 0, throughSeq: Int64, limit: Int = .max) throws -> [CustodyFile.Entry] {
        try Row.fetchAll(db, sql: """
            SELECT seq, time, event, prev_hash, hash, record FROM audit_log
            WHERE job_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?
            """, arguments: [jobId, afterSeq, throughSeq, limit]).map {
            CustodyFile.Entry(seq: $0["seq"], time: Timestamp.format(millis: $0["time"]), event: $0["event"],
                              prevHash: $0["prev_hash"], hash: $0["hash"], record: $0["record"])
        }
    }

    /// Checks the whole chain; returns the first broken seq, or nil when it is intact.
    static func firstBrokenLink(_ db: Database) throws -> Int64? {
        var prev = AuditChain.genesisHash
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, record, prev_hash, hash FROM audit_log ORDER BY seq")
        while let row = try rows.next() {
            let record: String = row["record"]
            let hash: String = row["hash"]
            let prevHash: String = row["prev_hash"]
            if prevHash != prev || AuditChain.hash(prevHash: prevHash, record: record) != hash { return row["seq"] }
            prev = hash
        }
        return nil
    }
}

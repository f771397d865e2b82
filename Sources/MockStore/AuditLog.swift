import GRDB
import DocumentCodecs
import RecordingsDomain

/// The append-only, hash-chained audit log (CONTRACT §5). Appends happen inside the caller's transaction, so an
/// entry exists exactly when the change it describes was committed.
enum AuditLog {
    @discardableResult
    static func append(_ db: Database, time: Int64, event: String, orgId: String?, caseId: String? = nil,
                       jobId: String? = nil, fields: [String: JSONValue] = [:]) throws -> Int64 {
        var last = try tail(db)
        return try append(db, after: &last, time: time, event: event, orgId: orgId, caseId: caseId, jobId: jobId, fields: fields)
    }

    /// The chain's last entry: its seq and hash (0 and the genesis hash when the log is empty).
    struct Tail {
        var seq: Int64
        var hash: String
    }

    /// Reads the chain's last entry. A caller that appends many entries in one transaction (an export batch, two per
    /// recording) reads it once and passes it to `append(_:after:…)`, which moves it on.
    static func tail(_ db: Database) throws -> Tail {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        return Tail(seq: last?["seq"] ?? 0, hash: last?["hash"] ?? AuditChain.genesisHash)
    }

    /// Appends an entry after `tail`, which must be the chain's last entry in this transaction, and makes the new entry
    /// the tail.
    @discardableResult
    static func append(_ db: Database, after tail: inout Tail, time: Int64, event: String, orgId: String?, caseId: String? = nil,
                       jobId: String? = nil, fields: [String: JSONValue] = [:]) throws -> Int64 {
        try append(db, after: &tail, time: time, event: event, orgId: orgId, caseId: caseId, jobId: jobId) { seq, time in
            AuditChain.record(seq: seq, time: time, event: event, orgId: orgId, caseId: caseId, jobId: jobId, fields: fields)
        }
    }

    /// Appends an entry whose record text `record` makes from its seq and formatted time (`AuditChain.objectRecord`
    /// for an object's entry).
    @discardableResult
    static func append(_ db: Database, after tail: inout Tail, time: Int64, event: String, orgId: String?, caseId: String?,
                       jobId: String?, record makeRecord: (_ seq: Int64, _ time: String) -> String) throws -> Int64 {
        let seq = tail.seq + 1
        let prev = tail.hash
        let record = makeRecord(seq, Timestamp.format(millis: time))
        let hash = AuditChain.hash(prevHash: prev, record: record)
        // A cached statement: an export appends one entry per object.
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, time, event, org_id, case_id, job_id, record, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, time, event, orgId, caseId, jobId, record, prev, hash])
        tail = Tail(seq: seq, hash: hash)
        return seq
    }

    /// A job's entries after `afterSeq`, up to and including `throughSeq`, in chain order.
    static func slice(_ db: Database, jobId: String, afterSeq: Int64 = 0, throughSeq: Int64) throws -> [CustodyFile.Entry] {
        try Row.fetchAll(db, sql: """
            SELECT seq, time, event, prev_hash, hash, record FROM audit_log
            WHERE job_id = ? AND seq > ? AND seq <= ? ORDER BY seq
            """, arguments: [jobId, afterSeq, throughSeq]).map {
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

import RecordingsDomain

/// The canonical record text of audit entries (CONTRACT §5): what `AuditChain.hash` is computed over.
extension AuditChain {
    /// `record(…)` of an object's entry (`object.written` and the like), written straight to bytes in sorted key
    /// order: an export appends one per object, and building and sorting a dictionary for each was most of the
    /// cost of committing a batch. The bytes are `record(…)`'s, which the tests check.
    public static func objectRecord(seq: Int64, time: String, event: String, orgId: String?, caseId: String?, jobId: String?,
                                    bucket: String, key: String, sha256: String, size: Int, legalHold: Bool, reused: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(key.utf8.count + 400)
        func member(_ name: StaticString, _ value: String) {
            out.append(out.isEmpty ? 0x7B : 0x2C)
            out.append(0x22)
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [0x22, 0x3A])
            FastJSON.string(value, into: &out)
        }
        func raw(_ name: StaticString, _ value: String) {
            out.append(0x2C)
            out.append(0x22)
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [0x22, 0x3A])
            out.append(contentsOf: value.utf8)
        }
        member("bucket", bucket)
        if let caseId { member("caseId", caseId) }
        member("event", event)
        if let jobId { member("jobId", jobId) }
        member("key", key)
        raw("legalHold", legalHold ? "true" : "false")
        if let orgId { member("orgId", orgId) }
        if reused { raw("reused", "true") }
        raw("seq", String(seq))
        member("sha256", sha256)
        raw("size", String(size))
        member("time", time)
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical record text of an entry: sorted keys, no escaped slashes.
    public static func record(seq: Int64, time: String, event: String, orgId: String?, caseId: String?,
                              jobId: String?, fields: [String: JSONValue]) -> String {
        var o = fields
        o["seq"] = .int(Int(seq))
        o["time"] = .string(time)
        o["event"] = .string(event)
        if let orgId { o["orgId"] = .string(orgId) }
        if let caseId { o["caseId"] = .string(caseId) }
        if let jobId { o["jobId"] = .string(jobId) }
        return FastJSON.string(.object(o))
    }
}

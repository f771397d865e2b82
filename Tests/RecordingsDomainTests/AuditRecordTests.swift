import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// An export writes its objects' audit records with `objectRecord`, straight to bytes; the chain's hashes are over
/// those bytes, so they must be exactly what the general `record` writes.
@Suite struct AuditRecordTests {
    struct Case: Sendable, CustomStringConvertible {
        var orgId: String?, caseId: String?, jobId: String?
        var key: String
        var legalHold: Bool, reused: Bool
        var description: String { "\(key) case:\(caseId ?? "-") reused:\(reused)" }
    }

    @Test(arguments: [
        Case(orgId: "o-1", caseId: "LH-2023-001", jobId: "j-1", key: "bench/org/year=2023/a.json", legalHold: true, reused: false),
        Case(orgId: "o-1", caseId: nil, jobId: "j-1", key: "plain/b.json_metadata.json", legalHold: false, reused: false),
        Case(orgId: "o-1", caseId: "LH-\"quoted\"\\", jobId: "j-1", key: "x/\"q\"/caf\u{e9} 🙃/\t\u{1}/c.json", legalHold: true, reused: true),
        Case(orgId: nil, caseId: nil, jobId: nil, key: "k", legalHold: false, reused: true),
    ])
    func theDirectRecordIsTheGeneralOne(c: Case) {
        var fields: [String: JSONValue] = ["bucket": "legal-discovery-eu", "key": .string(c.key), "sha256": "ab12",
                                           "size": .int(6546), "legalHold": .bool(c.legalHold)]
        if c.reused { fields["reused"] = .bool(true) }
        let general = AuditChain.record(seq: 1_234_567, time: "2026-12-01T00:27:27.156Z", event: "object.written", orgId: c.orgId,
                                        caseId: c.caseId, jobId: c.jobId, fields: fields)
        let direct = AuditChain.objectRecord(seq: 1_234_567, time: "2026-12-01T00:27:27.156Z", event: "object.written",
                                             orgId: c.orgId, caseId: c.caseId, jobId: c.jobId, bucket: "legal-discovery-eu",
                                             key: c.key, sha256: "ab12", size: 6546, legalHold: c.legalHold, reused: c.reused)
        #expect(direct == general)
    }

    @Test func theHashIsTheSHA256OfThePreviousHashAndTheRecord() {
        let prev = String(repeating: "a", count: 64), record = #"{"event":"x","key":"caf\#u{e9}"}"#
        // A fixed value, computed apart from this code: python3 -c 'import hashlib;
        // print(hashlib.sha256(("a"*64 + "{\"event\":\"x\",\"key\":\"caf\u00e9\"}").encode()).hexdigest())'
        #expect(AuditChain.hash(prevHash: prev, record: record) == "fb01821fa3be0a791312d583624572ac8d65f4bd9c7ad11c4770f188d4fdcda2")
    }
}

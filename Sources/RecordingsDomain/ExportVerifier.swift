import Foundation

/// Re-hashes an export offline (CONTRACT §5): every object of the manifest, the manifest itself against the
/// custody file, and every link of the custody chain.
public enum ExportVerifier {
    public struct Finding: Sendable, Equatable {
        public enum Status: String, Sendable { case intact = "OK", missing = "MISSING", changed = "CHANGED" }
        public var key: String
        public var status: Status
        public var detail: String
    }

    public struct Report: Sendable, Equatable {
        public var objects: [Finding] = []
        /// Problems of the custody chain, each naming the entry (seq) or the manifest.
        public var chainProblems: [String] = []
        public var isIntact: Bool { chainProblems.isEmpty && objects.allSatisfy { $0.status == .intact } }
    }

    /// `read` returns the bytes stored under a bucket key, or nil when there are none.
    public static func verify(manifest: Manifest, manifestBytes: Data, custody: CustodyFile?,
                              read: (String) -> Data?) -> Report {
        var report = Report()
        for object in manifest.objects {
            guard let bytes = read(object.key) else {
                report.objects.append(.init(key: object.key, status: .missing, detail: "no object under this key"))
                continue
            }
            let sha = Digest.sha256Hex(bytes)
            if bytes.count != object.size || sha != object.sha256 || Digest.md5Hex(bytes) != object.etag {
                report.objects.append(.init(key: object.key, status: .changed,
                                            detail: "expected \(object.size) bytes sha256 \(object.sha256), found \(bytes.count) bytes sha256 \(sha)"))
            } else {
                report.objects.append(.init(key: object.key, status: .intact, detail: "\(bytes.count) bytes, sha256 \(sha)"))
            }
        }
        if let custody { report.chainProblems = chainProblems(custody, manifest: manifest, manifestBytes: manifestBytes) }
        return report
    }

    static func chainProblems(_ custody: CustodyFile, manifest: Manifest, manifestBytes: Data) -> [String] {
        var problems: [String] = []
        let manifestSha = Digest.sha256Hex(manifestBytes)
        if custody.manifestSha256 != manifestSha {
            problems.append("manifest: sha256 is \(manifestSha), the custody file recorded \(custody.manifestSha256)")
        }
        var previous: CustodyFile.Entry?
        var written: [String: String] = [:]
        for entry in custody.entries {
            if AuditChain.hash(prevHash: entry.prevHash, record: entry.record) != entry.hash {
                problems.append("chain entry seq \(entry.seq): hash does not match its record")
            }
            if let p = previous {
                if entry.seq <= p.seq { problems.append("chain entry seq \(entry.seq): out of order after seq \(p.seq)") }
                if entry.seq == p.seq + 1, entry.prevHash != p.hash {
                    problems.append("chain entry seq \(entry.seq): prevHash does not link to seq \(p.seq)")
                }
            }
            if let fields = JSONValue.parse(Data(entry.record.utf8))?.objectValue {
                if fields["seq"] != .int(Int(entry.seq)) { problems.append("chain entry seq \(entry.seq): record names another seq") }
                if entry.event == "object.written", let key = fields["key"]?.stringValue, let sha = fields["sha256"]?.stringValue {
                    written[key] = sha
                }
                if entry.event == "manifest.written", fields["sha256"]?.stringValue != manifestSha {
                    problems.append("chain entry seq \(entry.seq): the manifest it recorded is not this manifest")
                }
            } else {
                problems.append("chain entry seq \(entry.seq): record is not JSON")
            }
            previous = entry
        }
        for object in manifest.objects where written[object.key] != object.sha256 {
            problems.append("manifest object \(object.key): not recorded as written with this sha256 in the chain")
        }
        return problems
    }
}

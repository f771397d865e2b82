import Foundation
import RecordingsDomain

/// The custody chain checked one entry at a time (CONTRACT §5), so a 200,000-entry chain never sits in
/// memory: each entry's hash, its link to the previous one, its record's seq, and what it says was written.
/// What was written is kept as 16 bytes per object (a hash of the key and the first 8 bytes of the SHA-256).
public struct CustodyChainCheck: Sendable {
    public private(set) var problems: [String] = []
    public private(set) var count = 0
    public private(set) var firstSeq: Int64?
    public private(set) var lastSeq: Int64?
    private var previous: (seq: Int64, hash: String)?
    private var written: [UInt64: UInt64] = [:]
    private var manifestShas: [(seq: Int64, sha: String)] = []

    public init() {}

    public mutating func add(_ entry: CustodyFile.Entry) {
        count += 1
        if firstSeq == nil { firstSeq = entry.seq }
        lastSeq = entry.seq
        if AuditChain.hash(prevHash: entry.prevHash, record: entry.record) != entry.hash {
            problems.append("chain entry seq \(entry.seq): hash does not match its record")
        }
        if let p = previous {
            if entry.seq <= p.seq { problems.append("chain entry seq \(entry.seq): out of order after seq \(p.seq)") }
            // `p.seq < .max` first: the seq is the file's, and the last Int64 has no successor to overflow into.
            if p.seq < .max, entry.seq == p.seq + 1, entry.prevHash != p.hash {
                problems.append("chain entry seq \(entry.seq): prevHash does not link to seq \(p.seq)")
            }
        }
        if let fields = AuditRecordFields(record: entry.record) {
            if fields.seq != entry.seq { problems.append("chain entry seq \(entry.seq): record names another seq") }
            if entry.event == "object.written", let key = fields.key, let sha = fields.sha256 {
                written[Self.keyHash(key)] = Self.shaPrefix(sha)
            }
            if entry.event == "manifest.written" {
                manifestShas.append((entry.seq, fields.sha256 ?? ""))
            }
        } else {
            problems.append("chain entry seq \(entry.seq): record is not JSON")
        }
        previous = (entry.seq, entry.hash)
    }

    /// Whether the chain recorded `key` as written with this SHA-256.
    public func recordsWritten(_ key: String, sha256: String) -> Bool {
        written[Self.keyHash(key)] == Self.shaPrefix(sha256)
    }

    /// The problems once the manifest (its SHA-256, and the one the custody file names) is known.
    public func finish(manifestSha256: String, recordedManifestSha256: String) -> [String] {
        var out: [String] = []
        if recordedManifestSha256 != manifestSha256 {
            out.append("manifest: sha256 is \(manifestSha256), the custody file recorded \(recordedManifestSha256)")
        }
        out += problems
        for m in manifestShas where m.sha != manifestSha256 {
            out.append("chain entry seq \(m.seq): the manifest it recorded is not this manifest")
        }
        return out
    }

    static func keyHash(_ key: String) -> UInt64 {
        // FNV-1a over the UTF-8 bytes: stable across runs (Swift's Hasher is seeded per process).
        var h: UInt64 = 0xcbf29ce484222325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    static func shaPrefix(_ sha: String) -> UInt64 {
        UInt64(sha.prefix(16), radix: 16) ?? 0
    }
}

import Crypto
import Foundation

/// The hash chain of the audit log (CONTRACT §5): each entry stores the hash of the one before it, and its own
/// hash is `sha256(prevHash + record)` over the UTF-8 bytes, where `record` is the entry's canonical JSON text.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    public static func hash(prevHash: String, record: String) -> String {
        Digest.sha256Hex(Data((prevHash + record).utf8))
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

/// SHA-256 and MD5 in lower-case hex.
public enum Digest {
    public static func sha256Hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }
    public static func md5Hex(_ data: Data) -> String { hex(Insecure.MD5.hash(data: data)) }

    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

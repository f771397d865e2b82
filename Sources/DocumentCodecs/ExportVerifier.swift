import Foundation
import RecordingsDomain

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
        var chain = CustodyChainCheck()
        for entry in custody?.entries ?? [] { chain.add(entry) }
        for object in manifest.objects {
            report.objects.append(check(object, bytes: read(object.key)))
        }
        if let custody {
            report.chainProblems = chain.finish(manifestSha256: Digest.sha256Hex(manifestBytes),
                                                recordedManifestSha256: custody.manifestSha256)
                + unrecorded(manifest.objects, in: chain)
        }
        return report
    }

    /// One object against the bytes found under its key.
    public static func check(_ object: Manifest.Object, bytes: Data?) -> Finding {
        guard let bytes else { return .init(key: object.key, status: .missing, detail: "no object under this key") }
        let sha = Digest.sha256Hex(bytes)
        if bytes.count != object.size || sha != object.sha256 || Digest.md5Hex(bytes) != object.etag {
            return .init(key: object.key, status: .changed,
                         detail: "expected \(object.size) bytes sha256 \(object.sha256), found \(bytes.count) bytes sha256 \(sha)")
        }
        return .init(key: object.key, status: .intact, detail: "\(bytes.count) bytes, sha256 \(sha)")
    }

    /// Manifest objects the chain does not record as written with the same SHA-256.
    public static func unrecorded(_ objects: some Sequence<Manifest.Object>, in chain: CustodyChainCheck) -> [String] {
        objects.filter { !chain.recordsWritten($0.key, sha256: $0.sha256) }
            .map { "manifest object \($0.key): not recorded as written with this sha256 in the chain" }
    }
}

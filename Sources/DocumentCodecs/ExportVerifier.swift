import Foundation
import RecordingsDomain

/// The checks of `genesys-mock verify` (CONTRACT §5) that the streamed verifier (`ExportVerification.run`) applies:
/// one object against its bytes, and manifest objects against what the custody chain recorded.
public enum ExportVerifier {
    public struct Finding: Sendable, Equatable {
        public enum Status: String, Sendable { case intact = "OK", missing = "MISSING", changed = "CHANGED" }
        public var key: String
        public var status: Status
        public var detail: String
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

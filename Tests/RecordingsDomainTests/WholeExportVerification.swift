import Foundation
import DocumentCodecs
import RecordingsDomain

/// The whole-document verification the custody tests state their cases with: every object of `manifest` read with
/// `read`, the chain of `custody`, and the manifest against it, through the same checks as the streamed verifier.
extension ExportVerifier {
    struct Report: Sendable, Equatable {
        var objects: [Finding] = []
        /// Problems of the custody chain, each naming the entry (seq) or the manifest.
        var chainProblems: [String] = []
        var isIntact: Bool { chainProblems.isEmpty && objects.allSatisfy { $0.status == .intact } }
    }

    /// `read` returns the bytes stored under a bucket key, or nil when there are none.
    static func verify(manifest: Manifest, manifestBytes: Data, custody: CustodyFile?,
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
}

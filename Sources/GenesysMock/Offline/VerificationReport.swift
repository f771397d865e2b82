import DocumentCodecs
import RecordingsDomain

/// `genesys-mock verify` and `/__admin/jobs/{jobId}/verify` (CONTRACT §5): re-hashes an export from its manifest,
/// in the sink folder, in any copy of it (e.g. made with `aws s3 sync`) or in a remote bucket, and checks the
/// custody chain. This file holds what a verification hands out; `StreamedVerifier.swift` makes it.
package enum ExportVerification {
    package struct Outcome: Error, Sendable {
        /// 0 intact, 1 something changed, missing or broken, 2 unreadable.
        package var exitCode: Int32
        package var text: String

        package init(exitCode: Int32, text: String) {
            self.exitCode = exitCode
            self.text = text
        }
    }

    /// One part of the report, as it is made: an object's finding, or a line about the custody chain.
    package enum Report {
        case object(ExportVerifier.Finding)
        case note(String)
    }

    /// A finding as the CLI prints it: `STATUS   key  detail`.
    package static func line(_ f: ExportVerifier.Finding) -> String {
        let status = f.status.rawValue
        return status + String(repeating: " ", count: max(0, 8 - status.utf8.count)) + " " + f.key + "  " + f.detail
    }

    /// The report's closing lines about the chain, and the outcome whose text is the last line.
    static func summary(jobId: String, objects: Int, bad: Int, chain: CustodyChainCheck?, chainProblems: [String],
                        emit: (Report) -> Void) -> Outcome {
        if let chain, chainProblems.isEmpty {
            emit(.note("CHAIN    intact: \(chain.count) entries, seq \(chain.firstSeq ?? 0)...\(chain.lastSeq ?? 0)"))
        }
        for p in chainProblems { emit(.note("BROKEN   \(p)")) }
        if bad == 0 && chainProblems.isEmpty {
            return Outcome(exitCode: 0, text: "verified: \(objects) objects intact\(chain == nil ? "" : ", custody chain intact") (job \(jobId))")
        }
        return Outcome(exitCode: 1, text: "FAILED: \(bad) of \(objects) objects changed or missing, \(chainProblems.count) chain problem(s) (job \(jobId))")
    }
}

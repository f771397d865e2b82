import Foundation
import MockStore
import RecordingsDomain
import Synchronization

/// `verify` for an export kept in a remote bucket: its manifest and custody file are streamed from the store into
/// a scratch folder (laid out as in the bucket), then the usual streamed check runs, reading every object from
/// the store a batch at a time. Memory stays bounded like a local verify's.
package enum RemoteVerification {
    /// Downloads the job's manifest and custody file below `scratch`; returns the manifest's path there, or the
    /// outcome that ends the verification (exit code 2: nothing to verify, or the store refused).
    package static func prepare(client: RemoteS3Client, manifestKey: String, scratch: String) async -> Result<String, OfflineVerification.Outcome> {
        guard SinkPath.keyProblem(manifestKey) == nil, manifestKey.hasSuffix("/manifest.json") else {
            return .failure(.init(exitCode: 2, text: "error: \(manifestKey) is not a manifest key"))
        }
        let custodyKey = String(manifestKey.dropLast("manifest.json".count)) + "chain-of-custody.json"
        let manifestPath = scratch + "/" + manifestKey
        do {
            try await BlockingIO.run {
                try FileManager.default.createDirectory(atPath: (manifestPath as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
            }
            guard try await client.download(manifestKey, to: manifestPath) else {
                return .failure(.init(exitCode: 2, text: "error: \(manifestKey) is not in bucket \(client.bucket) at \(client.storeName)"))
            }
            _ = try await client.download(custodyKey, to: scratch + "/" + custodyKey)
            return .success(manifestPath)
        } catch {
            return .failure(.init(exitCode: 2, text: "error: cannot read the export from \(client.storeName): \(error)"))
        }
    }

    /// Why objects could not be read (the store stopped answering, or refused): set by `fetch`, read after the run.
    package final class StoreTrouble: Sendable {
        private let first = Mutex<String?>(nil)
        package init() {}
        func note(_ error: any Error) { first.withLock { $0 = $0 ?? "\(error)" } }
        package var message: String? { first.withLock { $0 } }

        /// What to report when the store failed (the findings would call its objects missing); nil when it did not.
        package var summary: String? {
            message.map { "error: the store stopped answering during the verification, which is incomplete: \($0)" }
        }

        /// The outcome to report instead, when the store failed.
        package func outcome(replacing outcome: OfflineVerification.Outcome) -> OfflineVerification.Outcome {
            summary.map { .init(exitCode: 2, text: $0) } ?? outcome
        }
    }

    /// Reads objects from the store for `OfflineVerification`, a batch at a time. When the store fails, the batch
    /// reads as missing and `trouble` says why, so that the report is not taken for a finding.
    package static func fetch(_ client: RemoteS3Client, trouble: StoreTrouble) -> OfflineVerification.Fetch {
        { keys in
            do { return try BlockingBridge.wait { try await client.getAll(keys) } } catch {
                trouble.note(error)
                return Array(repeating: nil, count: keys.count)
            }
        }
    }

    /// The whole verification, from a thread that may block (the CLI). `scratch` is removed afterwards.
    package static func run(client: RemoteS3Client, manifestKey: String, scratch: String,
                            report: (OfflineVerification.Report) -> Void) -> OfflineVerification.Outcome {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let prepared = (try? BlockingBridge.wait { await prepare(client: client, manifestKey: manifestKey, scratch: scratch) })
            ?? .failure(.init(exitCode: 2, text: "error: cannot read the export from \(client.storeName)"))
        switch prepared {
        case .failure(let outcome): return outcome
        case .success(let path):
            let trouble = StoreTrouble()
            return trouble.outcome(replacing: OfflineVerification.run(manifestPath: path, report: report, fetch: fetch(client, trouble: trouble)))
        }
    }
}

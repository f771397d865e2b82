import Foundation
import MockStore
import RecordingsDomain

/// Verifying an export kept in a remote bucket: its manifest and custody file are streamed from the store into a
/// scratch folder (laid out as in the bucket), then the one streamed verifier runs with the store as its object
/// source, a batch at a time. Memory stays bounded like a local verify's.
package enum RemoteVerification {
    /// Verifies, handing on each part of the report as it is made; `scratch` is removed afterwards. When the store
    /// stopped answering, the outcome says so (exit code 2) and `storeTrouble` is the store's first error.
    package static func run(client: RemoteS3Client, manifestKey: String, scratch: String,
                            report: (ExportVerification.Report) -> Void) async -> (outcome: ExportVerification.Outcome, storeTrouble: String?) {
        let prepared = await prepare(client: client, manifestKey: manifestKey, scratch: scratch)
        var result: (ExportVerification.Outcome, String?)
        switch prepared {
        case .failure(let outcome):
            result = (outcome, nil)
        case .success(let path):
            let source = FetchedObjects { keys in try await client.getAll(keys) }
            let outcome = await ExportVerification.run(manifestPath: path, source: source, report: report)
            result = (source.trouble.outcome(replacing: outcome), source.trouble.message)
        }
        _ = try? await BlockingIO.run { try? FileManager.default.removeItem(atPath: scratch) }
        return result
    }

    /// Downloads the job's manifest and custody file below `scratch`; returns the manifest's path there, or the
    /// outcome that ends the verification (exit code 2: nothing to verify, or the store refused).
    static func prepare(client: RemoteS3Client, manifestKey: String, scratch: String) async -> Result<String, ExportVerification.Outcome> {
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
}

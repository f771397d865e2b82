import Foundation
import MockStore

/// Where a job's export lives, for `genesys-mock verify --data DIR --job ID`: the data folder's sink, or the
/// remote bucket its registry entry names.
package enum ExportLocation: Sendable {
    case local(manifestPath: String)
    case remote(bucket: String, region: String, remote: RemoteBucket, manifestKey: String)

    /// Reads the data folder's registry, on a blocking-IO thread.
    package static func find(dataDir: String, jobId: String) async -> Result<ExportLocation, ExportVerification.Outcome> {
        do { return try await BlockingIO.run { lookUp(dataDir: dataDir, jobId: jobId) } } catch {
            return .failure(ExportVerification.Outcome(exitCode: 2, text: "error: cannot read \(dataDir): \(error)"))
        }
    }

    static func lookUp(dataDir: String, jobId: String) -> Result<ExportLocation, ExportVerification.Outcome> {
        typealias Outcome = ExportVerification.Outcome
        let path = dataDir + "/genesys-mock.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(Outcome(exitCode: 2, text: "error: no genesys-mock database in \(dataDir)"))
        }
        do {
            guard let row = try OfflineStore.exportLocation(databasePath: path, jobId: jobId) else {
                return .failure(Outcome(exitCode: 2, text: "error: no job \(jobId) in \(dataDir)"))
            }
            guard let key = row.manifestKey else {
                return .failure(Outcome(exitCode: 2, text: "error: job \(jobId) is \(row.state) and has no manifest"))
            }
            if let remote = RemoteBucket.fromStored(row.remoteJSON) {
                return .success(.remote(bucket: row.bucket, region: row.region ?? "", remote: remote, manifestKey: key))
            }
            return .success(.local(manifestPath: dataDir + "/s3/" + row.bucket + "/" + key))
        } catch {
            return .failure(Outcome(exitCode: 2, text: "error: cannot read \(path): \(error)"))
        }
    }
}

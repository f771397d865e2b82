import Foundation
import GRDB
import RecordingsDomain

/// `genesys-mock verify` (CONTRACT §5): re-hashes an export offline from its manifest, in the sink folder or in
/// any copy of it (e.g. made with `aws s3 sync`), and checks the custody chain.
package enum OfflineVerification {
    package struct Outcome: Error, Sendable {
        /// 0 intact, 1 something changed, missing or broken, 2 unreadable.
        package var exitCode: Int32
        package var text: String
    }

    package static func run(manifestPath: String) -> Outcome {
        guard let bytes = FileManager.default.contents(atPath: manifestPath) else {
            return Outcome(exitCode: 2, text: "error: cannot read \(manifestPath)")
        }
        let manifest: Manifest
        do { manifest = try JSONDecoder().decode(Manifest.self, from: bytes) } catch {
            return Outcome(exitCode: 2, text: "error: \(manifestPath) is not a genesys-mock manifest: \(error)")
        }
        let suffix = "exports/\(manifest.jobId)/manifest.json"
        guard manifestPath.hasSuffix(suffix) else {
            return Outcome(exitCode: 2, text: "error: a manifest must sit at {prefix}\(suffix) of its copy, as exported")
        }
        let root = String(manifestPath.dropLast(suffix.count))
        let prefix = manifest.prefix ?? ""
        func local(_ key: String) -> String? {
            guard key.hasPrefix(prefix), SinkPath.keyProblem(key) == nil else { return nil }
            return root + String(key.dropFirst(prefix.count))
        }
        var custody: CustodyFile?
        var lines: [String] = []
        var custodyProblem: String?
        let custodyPath = root + "exports/\(manifest.jobId)/chain-of-custody.json"
        if let data = FileManager.default.contents(atPath: custodyPath) {
            do { custody = try JSONDecoder().decode(CustodyFile.self, from: data) } catch {
                custodyProblem = "chain-of-custody.json is not readable: \(error)"
            }
        } else if manifest.caseId != nil {
            custodyProblem = "chain-of-custody.json is missing (expected at \(custodyPath))"
        }
        let report = ExportVerifier.verify(manifest: manifest, manifestBytes: bytes, custody: custody) { key in
            local(key).flatMap { FileManager.default.contents(atPath: $0) }
        }
        for f in report.objects { lines.append("\(f.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.key)  \(f.detail)") }
        var chain = report.chainProblems
        if let custodyProblem { chain.insert(custodyProblem, at: 0) }
        if let custody, chain.isEmpty {
            lines.append("CHAIN    intact: \(custody.entries.count) entries, seq \(custody.entries.first?.seq ?? 0)...\(custody.entries.last?.seq ?? 0)")
        }
        for p in chain { lines.append("BROKEN   \(p)") }
        let bad = report.objects.filter { $0.status != .intact }.count
        if bad == 0 && chain.isEmpty {
            lines.append("verified: \(report.objects.count) objects intact\(custody == nil ? "" : ", custody chain intact") (job \(manifest.jobId))")
            return Outcome(exitCode: 0, text: lines.joined(separator: "\n"))
        }
        lines.append("FAILED: \(bad) of \(report.objects.count) objects changed or missing, \(chain.count) chain problem(s) (job \(manifest.jobId))")
        return Outcome(exitCode: 1, text: lines.joined(separator: "\n"))
    }

    /// Finds a job's manifest in a data folder's sink.
    package static func manifestPath(dataDir: String, jobId: String) -> Result<String, Outcome> {
        let path = dataDir + "/genesys-mock.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(Outcome(exitCode: 2, text: "error: no genesys-mock database in \(dataDir)"))
        }
        do {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            let row = try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT bucket, manifest_key, state FROM job WHERE id = ?", arguments: [jobId])
            }
            guard let row else { return .failure(Outcome(exitCode: 2, text: "error: no job \(jobId) in \(dataDir)")) }
            guard let key: String = row["manifest_key"] else {
                return .failure(Outcome(exitCode: 2, text: "error: job \(jobId) is \(row["state"] as String) and has no manifest"))
            }
            return .success(dataDir + "/s3/" + (row["bucket"] as String) + "/" + key)
        } catch {
            return .failure(Outcome(exitCode: 2, text: "error: cannot read \(path): \(error)"))
        }
    }
}

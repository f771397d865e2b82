import ArgumentParser
import Foundation
import GenesysMock

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-hash an export offline: every object of its manifest and the chain of custody (exit 0 intact, 1 not, 2 unreadable).",
        discussion: "Give the manifest.json of any copy of the bucket (the sink folder itself, or a download made with `aws s3 sync`), or --data and --job to find it in a data folder. A job that exported into a remote bucket is verified in its store, with the credentials its registry entry names (the same environment variables must be set)."
    )

    @Argument(help: "Path to an export's manifest.json.")
    var manifest: String?

    @Option(help: "A genesys-mock data folder (with --job).")
    var data: String?

    @Option(help: "The export job id (with --data).")
    var job: String?

    func validate() throws {
        if manifest == nil && (data == nil || job == nil) { throw ValidationError("give a manifest.json path, or --data DIR and --job ID") }
        if manifest != nil && (data != nil || job != nil) { throw ValidationError("give either a manifest path or --data/--job, not both") }
    }

    func run() async throws {
        var path = manifest ?? ""
        if let data, let job {
            switch await ExportLocation.find(dataDir: data, jobId: job) {
            case .success(.local(let p)): path = p
            case .success(.remote(let bucket, let region, let remote, let manifestKey)):
                return try await verifyRemote(bucket: bucket, region: region, remote: remote, manifestKey: manifestKey)
            case .failure(let outcome): return try finish(outcome)
            }
        }
        // Findings are printed as they are made: a big export's report is never held whole.
        try finish(await ExportVerification.run(manifestPath: path, source: LocalObjects(), report: Self.print))
    }

    func verifyRemote(bucket: String, region: String, remote: RemoteBucket, manifestKey: String) async throws {
        switch RemoteS3Client.make(bucket: bucket, region: region, remote: remote) {
        case .failure(let error):
            try finish(ExportVerification.Outcome(exitCode: 2, text: "error: cannot reach bucket \(bucket): \(error)"))
        case .success(let client):
            let scratch = NSTemporaryDirectory() + "genesys-mock-verify-\(UUID().uuidString)"
            try finish(await RemoteVerification.run(client: client, manifestKey: manifestKey, scratch: scratch, report: Self.print).outcome)
        }
    }

    static func print(_ part: ExportVerification.Report) {
        switch part {
        case .object(let f): Swift.print(ExportVerification.line(f))
        case .note(let text): Swift.print(text)
        }
    }

    func finish(_ outcome: ExportVerification.Outcome) throws {
        if outcome.exitCode == 2 { FileHandle.standardError.write(Data((outcome.text + "\n").utf8)) } else { Swift.print(outcome.text) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

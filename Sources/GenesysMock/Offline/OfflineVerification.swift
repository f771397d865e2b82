import Dispatch
import Foundation
import MockStore
import RecordingsDomain

/// `genesys-mock verify` (CONTRACT §5): re-hashes an export offline from its manifest, in the sink folder or in
/// any copy of it (e.g. made with `aws s3 sync`), and checks the custody chain. It streams: the custody file
/// and the manifest are read a line at a time, objects are hashed in batches on every core, and each finding
/// is printed as it is made, so memory stays flat whatever the export's size.
package enum OfflineVerification {
    package struct Outcome: Error, Sendable {
        /// 0 intact, 1 something changed, missing or broken, 2 unreadable.
        package var exitCode: Int32
        package var text: String

        package init(exitCode: Int32, text: String) {
            self.exitCode = exitCode
            self.text = text
        }
    }

    /// Objects hashed together, in parallel, before their findings are printed in manifest order.
    static let batch = 512

    package static func run(manifestPath: String) -> Outcome {
        var lines: [String] = []
        let code = run(manifestPath: manifestPath, emit: { lines.append($0) })
        return Outcome(exitCode: code.exitCode, text: (lines + (code.text.isEmpty ? [] : [code.text])).joined(separator: "\n"))
    }

    /// One part of the report, as it is made: an object's finding, or a line about the custody chain.
    package enum Report {
        case object(ExportVerifier.Finding)
        case note(String)
    }

    /// Verifies, handing each line of the report to `emit` as it is made; the returned outcome's text is the
    /// last line (or the error, for exit code 2).
    package static func run(manifestPath: String, emit: (String) -> Void) -> Outcome {
        run(manifestPath: manifestPath, report: { part in
            switch part {
            case .object(let f): emit(line(f))
            case .note(let text): emit(text)
            }
        })
    }

    /// The same, handing on each part of the report as a value (the console lists findings without re-reading text).
    /// With `fetch`, objects are read through it (a remote store) instead of from the manifest's folder.
    package static func run(manifestPath: String, report emit: (Report) -> Void, fetch: Fetch? = nil) -> Outcome {
        let jobSuffix = "/manifest.json"
        guard manifestPath.hasSuffix(jobSuffix), FileManager.default.isReadableFile(atPath: manifestPath) else {
            return Outcome(exitCode: 2, text: "error: cannot read \(manifestPath)")
        }
        // First pass: the manifest's members and its SHA-256 (objects are only counted).
        var objectCount = 0
        let firstPass: StreamedDocumentReader.Document?
        do { firstPass = try StreamedDocumentReader(path: manifestPath, arrayName: "objects").read { _ in objectCount += 1 } } catch {
            return Outcome(exitCode: 2, text: "error: cannot read \(manifestPath): \(error)")
        }
        guard let head = firstPass else { return runWhole(manifestPath: manifestPath, emit: emit, fetch: fetch) }
        func member<T: Decodable>(_ name: String, _ type: T.Type) -> T? {
            head.members[name].flatMap { try? JSONDecoder().decode(T.self, from: $0) }
        }
        guard let jobId = member("jobId", String.self) else {
            return Outcome(exitCode: 2, text: "error: \(manifestPath) is not a genesys-mock manifest: no jobId")
        }
        let caseId = member("caseId", String?.self) ?? nil
        let prefix = member("prefix", String?.self) ?? nil
        let suffix = "exports/\(jobId)/manifest.json"
        guard manifestPath.hasSuffix(suffix) else {
            return Outcome(exitCode: 2, text: "error: a manifest must sit at {prefix}\(suffix) of its copy, as exported")
        }
        let root = String(manifestPath.dropLast(suffix.count))
        let copy = Copy(root: root, prefix: prefix ?? "", fetch: fetch)

        // The custody chain, entry by entry.
        var chain = CustodyChainCheck()
        var chainProblems: [String] = []
        let custodyPath = root + "exports/\(jobId)/chain-of-custody.json"
        var custodyFound = false
        if FileManager.default.fileExists(atPath: custodyPath) {
            custodyFound = true
            // Streamed when laid out as exported; else (edited by hand, say) read whole.
            let streamed = try? StreamedDocumentReader(path: custodyPath, arrayName: "entries").read { json in
                chain.add(try FlatJSONObject.custodyEntry(json) ?? JSONDecoder().decode(CustodyFile.Entry.self, from: json))
            }
            if let custody = streamed ?? nil {
                let recorded = custody.members["manifestSha256"].flatMap { try? JSONDecoder().decode(String.self, from: $0) } ?? ""
                chainProblems = chain.finish(manifestSha256: head.sha256, recordedManifestSha256: recorded)
            } else {
                do {
                    let whole = try JSONDecoder().decode(CustodyFile.self, from: FileManager.default.contents(atPath: custodyPath) ?? Data())
                    chain = CustodyChainCheck()
                    for entry in whole.entries { chain.add(entry) }
                    chainProblems = chain.finish(manifestSha256: head.sha256, recordedManifestSha256: whole.manifestSha256)
                } catch {
                    chainProblems = ["chain-of-custody.json is not readable: \(error)"]
                    custodyFound = false
                }
            }
        } else if caseId != nil {
            chainProblems = ["chain-of-custody.json is missing (expected at \(custodyPath))"]
        }

        // Second pass: every object against its bytes, and against the chain.
        // Batch N is hashed on every core while this thread parses batch N+1; findings still come out in order.
        var bad = 0
        var pending: [Manifest.Object] = []
        var inFlight: (objects: [Manifest.Object], results: UnsafeFindings, done: DispatchGroup)?
        func finishInFlight() {
            guard let batch = inFlight else { return }
            batch.done.wait()
            for f in batch.results.all {
                emit(.object(f))
                if f.status != .intact { bad += 1 }
            }
            if custodyFound, chainProblems.count < 1_000 { chainProblems += ExportVerifier.unrecorded(batch.objects, in: chain) }
            inFlight = nil
        }
        func flush() {
            finishInFlight()
            guard !pending.isEmpty else { return }
            let objects = pending, results = UnsafeFindings(count: pending.count), done = DispatchGroup()
            DispatchQueue.global().async(group: done) { copy.check(objects, into: results) }
            inFlight = (objects, results, done)
            pending = []
            pending.reserveCapacity(batch)
        }
        do {
            _ = try StreamedDocumentReader(path: manifestPath, arrayName: "objects").read { json in
                pending.append(try FlatJSONObject.manifestObject(json) ?? JSONDecoder().decode(Manifest.Object.self, from: json))
                if pending.count == batch { flush() }
            }
            flush()
            finishInFlight()
        } catch {
            finishInFlight()
            return Outcome(exitCode: 2, text: "error: \(manifestPath) is not a genesys-mock manifest: \(error)")
        }
        return summary(jobId: jobId, objects: objectCount, bad: bad, chain: custodyFound ? chain : nil, chainProblems: chainProblems, emit: emit)
    }

    /// A manifest written before manifests were streamed (or edited by hand): read whole.
    static func runWhole(manifestPath: String, emit: (Report) -> Void, fetch: Fetch?) -> Outcome {
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
        var custody: CustodyFile?
        var custodyProblem: String?
        let custodyPath = root + "exports/\(manifest.jobId)/chain-of-custody.json"
        if let data = FileManager.default.contents(atPath: custodyPath) {
            do { custody = try JSONDecoder().decode(CustodyFile.self, from: data) } catch {
                custodyProblem = "chain-of-custody.json is not readable: \(error)"
            }
        } else if manifest.caseId != nil {
            custodyProblem = "chain-of-custody.json is missing (expected at \(custodyPath))"
        }
        let copy = Copy(root: root, prefix: manifest.prefix ?? "", fetch: fetch)
        let report = ExportVerifier.verify(manifest: manifest, manifestBytes: bytes, custody: custody) { copy.read($0) }
        for f in report.objects { emit(.object(f)) }
        var chain = CustodyChainCheck()
        for entry in custody?.entries ?? [] { chain.add(entry) }
        return summary(jobId: manifest.jobId, objects: report.objects.count, bad: report.objects.filter { $0.status != .intact }.count,
                       chain: custody == nil ? nil : chain, chainProblems: (custodyProblem.map { [$0] } ?? []) + report.chainProblems,
                       emit: emit)
    }

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

    package static func line(_ f: ExportVerifier.Finding) -> String {
        let status = f.status.rawValue
        return status + String(repeating: " ", count: max(0, 8 - status.utf8.count)) + " " + f.key + "  " + f.detail
    }

    /// Reads objects by key from somewhere else than a folder (a remote store): their bytes in the keys' order,
    /// nil for a missing object. Called from a thread that may block.
    package typealias Fetch = @Sendable ([String]) -> [Data?]

    /// A copy of the bucket under `root`, holding the keys below `prefix`; or, with `fetch`, the bucket itself.
    struct Copy: Sendable {
        var root: String
        var prefix: String
        var fetch: Fetch?

        /// Whether the manifest may name this key at all: below the export's prefix, and a key the sink accepts.
        func admits(_ key: String) -> Bool {
            key.utf8.starts(with: prefix.utf8) && SinkPath.keyProblem(key) == nil
        }

        func read(_ key: String) -> Data? {
            guard admits(key) else { return nil }
            if let fetch { return fetch([key]).first ?? nil }
            return FileSink.readFile(root + String(decoding: key.utf8.dropFirst(prefix.utf8.count), as: UTF8.self), followingLinks: true)
        }

        /// Findings for a batch, hashed on every core, in the batch's order.
        func check(_ objects: [Manifest.Object]) -> [ExportVerifier.Finding] {
            let results = UnsafeFindings(count: objects.count)
            check(objects, into: results)
            return results.all
        }

        func check(_ objects: [Manifest.Object], into results: UnsafeFindings) {
            if let fetch {
                let admitted = objects.map { admits($0.key) }
                let fetched = fetch(objects.indices.filter { admitted[$0] }.map { objects[$0].key })
                var next = fetched.makeIterator()
                let bytes = admitted.map { $0 ? (next.next() ?? nil) : nil }
                DispatchQueue.concurrentPerform(iterations: objects.count) { i in
                    results.set(i, ExportVerifier.check(objects[i], bytes: bytes[i]))
                }
                return
            }
            DispatchQueue.concurrentPerform(iterations: objects.count) { i in
                results.set(i, ExportVerifier.check(objects[i], bytes: read(objects[i].key)))
            }
        }
    }

    /// Slots written by `concurrentPerform`, each by exactly one iteration, read after it returns.
    final class UnsafeFindings: @unchecked Sendable {
        private var slots: [ExportVerifier.Finding?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ f: ExportVerifier.Finding) { slots.withUnsafeMutableBufferPointer { $0[i] = f } }
        var all: [ExportVerifier.Finding] { slots.map { $0! } }
    }
}

extension OfflineVerification {
    /// Where a job's export lives: the data folder's sink, or a remote bucket.
    package enum Location: Sendable {
        case local(manifestPath: String)
        case remote(bucket: String, region: String, remote: RemoteBucket, manifestKey: String)
    }

    /// Finds a job's manifest in a data folder's sink.
    package static func manifestPath(dataDir: String, jobId: String) -> Result<String, Outcome> {
        locate(dataDir: dataDir, jobId: jobId).flatMap { location in
            switch location {
            case .local(let path): return .success(path)
            case .remote(let bucket, _, let remote, _):
                return .failure(Outcome(exitCode: 2, text: "error: job \(jobId) exported into bucket \(bucket) at \(remote.endpoint), not into this folder"))
            }
        }
    }

    /// Finds a job's export: in the data folder's sink, or in the remote bucket its registry names.
    package static func locate(dataDir: String, jobId: String) -> Result<Location, Outcome> {
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

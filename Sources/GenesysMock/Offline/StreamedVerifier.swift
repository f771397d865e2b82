import Foundation
import MockStore
import DocumentCodecs
import RecordingsDomain

extension ExportVerification {
    /// Objects hashed together, in parallel, before their findings are handed out in manifest order.
    static let batch = 512

    /// Verifies the export whose manifest is at `manifestPath`, reading its objects from `source`, and hands each
    /// part of the report to `report` as it is made, in manifest order. It streams: the manifest and custody file
    /// are read a piece at a time on blocking-IO threads, and batch N is hashed on every core while batch N+1 is
    /// parsed, so memory stays flat whatever the export's size. The outcome's text is the report's last line (or
    /// the error, for exit code 2).
    package static func run(manifestPath: String, source: some ExportObjectSource,
                            report emit: (Report) -> Void) async -> Outcome {
        let head: ManifestHead
        do { head = try await BlockingIO.run { try ManifestHead.read(manifestPath) } } catch let outcome as Outcome {
            return outcome
        } catch {
            return Outcome(exitCode: 2, text: "error: cannot read \(manifestPath): \(error)")
        }
        let custody: CustodyCheck
        do { custody = try await BlockingIO.run { CustodyCheck.read(head) } } catch {
            return Outcome(exitCode: 2, text: "error: cannot read \(manifestPath): \(error)")
        }
        var chainProblems = custody.problems
        var objects = head.objects
        var bad = 0
        var batch: Result<[Manifest.Object], any Error> = await objects.next(Self.batch)
        while case .success(let current) = batch, !current.isEmpty {
            async let checked = source.findings(current, in: head.copy)
            batch = await objects.next(Self.batch)
            let findings: [ExportVerifier.Finding]
            do { findings = try await checked } catch {
                return Outcome(exitCode: 2, text: "error: cannot read the export's objects: \(error)")
            }
            for f in findings {
                emit(.object(f))
                if f.status != .intact { bad += 1 }
            }
            if let chain = custody.chain, chainProblems.count < 1_000 { chainProblems += ExportVerifier.unrecorded(current, in: chain) }
        }
        if case .failure(let error) = batch {
            return Outcome(exitCode: 2, text: "error: \(manifestPath) is not a genesys-mock manifest: \(error)")
        }
        return summary(jobId: head.jobId, objects: head.count, bad: bad, chain: custody.chain, chainProblems: chainProblems, emit: emit)
    }
}

/// What a manifest says before its objects are checked: read streamed (a first pass that only counts objects),
/// or whole when it is not laid out as exported (an older export, or a hand-edited file).
struct ManifestHead: Sendable {
    var path: String
    var jobId: String
    var caseId: String?
    var count: Int
    var sha256: String
    var copy: ExportCopy
    var objects: ManifestObjects

    /// Throws an `Outcome` (exit code 2) when there is nothing to verify.
    static func read(_ path: String) throws -> ManifestHead {
        typealias Outcome = ExportVerification.Outcome
        guard path.hasSuffix("/manifest.json"), FileManager.default.isReadableFile(atPath: path) else {
            throw Outcome(exitCode: 2, text: "error: cannot read \(path)")
        }
        var count = 0
        var head: ManifestHead
        if let doc = try StreamedDocumentReader(path: path, arrayName: "objects").read({ _ in count += 1 }) {
            func member(_ name: String) -> String? { doc.members[name].flatMap { FastJSONReader.parse($0)?.stringValue } }
            guard let jobId = member("jobId") else {
                throw Outcome(exitCode: 2, text: "error: \(path) is not a genesys-mock manifest: no jobId")
            }
            head = ManifestHead(path: path, jobId: jobId, caseId: member("caseId"), count: count, sha256: doc.sha256,
                                copy: ExportCopy(root: "", prefix: member("prefix") ?? ""),
                                objects: .streamed(StreamedDocumentReader(path: path, arrayName: "objects")))
        } else {
            guard let bytes = FileManager.default.contents(atPath: path) else { throw Outcome(exitCode: 2, text: "error: cannot read \(path)") }
            let manifest: Manifest
            do { manifest = try JSONDecoder().decode(Manifest.self, from: bytes) } catch {
                throw Outcome(exitCode: 2, text: "error: \(path) is not a genesys-mock manifest: \(error)")
            }
            head = ManifestHead(path: path, jobId: manifest.jobId, caseId: manifest.caseId, count: manifest.objects.count,
                                sha256: Digest.sha256Hex(bytes), copy: ExportCopy(root: "", prefix: manifest.prefix ?? ""),
                                objects: .whole(manifest.objects[...]))
        }
        let suffix = "exports/\(head.jobId)/manifest.json"
        guard path.hasSuffix(suffix) else {
            throw Outcome(exitCode: 2, text: "error: a manifest must sit at {prefix}\(suffix) of its copy, as exported")
        }
        head.copy.root = String(path.dropLast(suffix.count))
        return head
    }

    var custodyPath: String { copy.root + "exports/\(jobId)/chain-of-custody.json" }
}

/// The manifest's objects, a batch at a time: parsed line by line on a blocking-IO thread, or from the whole file.
enum ManifestObjects: Sendable {
    case streamed(StreamedDocumentReader)
    case whole(ArraySlice<Manifest.Object>)

    /// The next batch (empty at the end), or why the manifest is unreadable.
    mutating func next(_ count: Int) async -> Result<[Manifest.Object], any Error> {
        switch self {
        case .streamed(let reader):
            do {
                return .success(try await BlockingIO.run {
                    try reader.next(count) { json in
                        guard let object = Manifest.Object.line(json) else { throw UnreadableLine(json, of: "manifest object") }
                        return object
                    }
                })
            } catch { return .failure(error) }
        case .whole(let rest):
            self = .whole(rest.dropFirst(count))
            return .success(Array(rest.prefix(count)))
        }
    }
}

/// The custody chain, entry by entry (streamed when laid out as exported; else read whole), against the manifest.
/// `chain` is nil when there is no readable custody file.
struct CustodyCheck: Sendable {
    var chain: CustodyChainCheck?
    var problems: [String] = []

    /// Called on a thread that may block.
    static func read(_ head: ManifestHead) -> CustodyCheck {
        let path = head.custodyPath
        guard FileManager.default.fileExists(atPath: path) else {
            return CustodyCheck(chain: nil, problems: head.caseId == nil ? [] : ["chain-of-custody.json is missing (expected at \(path))"])
        }
        var chain = CustodyChainCheck()
        let streamed = try? StreamedDocumentReader(path: path, arrayName: "entries").read { json in
            guard let entry = CustodyFile.Entry.line(json) else { throw UnreadableLine(json, of: "custody entry") }
            chain.add(entry)
        }
        if let custody = streamed ?? nil {
            let recorded = custody.members["manifestSha256"].flatMap { FastJSONReader.parse($0)?.stringValue } ?? ""
            let problems = chain.finish(manifestSha256: head.sha256, recordedManifestSha256: recorded)
            return CustodyCheck(chain: chain, problems: problems)
        }
        do {
            let whole = try JSONDecoder().decode(CustodyFile.self, from: FileManager.default.contents(atPath: path) ?? Data())
            chain = CustodyChainCheck()
            for entry in whole.entries { chain.add(entry) }
            let problems = chain.finish(manifestSha256: head.sha256, recordedManifestSha256: whole.manifestSha256)
            return CustodyCheck(chain: chain, problems: problems)
        } catch {
            return CustodyCheck(chain: nil, problems: ["chain-of-custody.json is not readable: \(error)"])
        }
    }
}

/// An element line of a streamed manifest or custody file that is not one (its first 120 bytes shown).
struct UnreadableLine: Error, CustomStringConvertible {
    var description: String

    init(_ json: Data, of kind: String) {
        // Control characters shown as `?`: the text goes to a terminal.
        let shown = String(String(decoding: json.prefix(120), as: UTF8.self).unicodeScalars.map {
            $0.properties.generalCategory == .control ? "?" : Character($0)
        })
        description = "a line is not a \(kind): \(shown)\(json.count > 120 ? "…" : "")"
    }
}

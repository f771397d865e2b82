import Foundation
@testable import GenesysMock
import DocumentCodecs
import RecordingsDomain
import Synchronization
import Testing

/// One streamed verifier, two object sources: a folder (the CLI and the admin route on the sink) and a fetch a batch
/// at a time (a remote bucket). The same export must give the same findings, in manifest order, from both.
@Suite("streamed verifier")
struct StreamedVerifierTests {
    /// An export laid out as the finisher writes it, in a fresh folder: 700 objects (two batches), its streamed
    /// manifest and custody file. Returns the folder and every object's bytes by key.
    static func export(count: Int = 700) throws -> (root: String, objects: [String: Data], keys: [String]) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("verifier-\(UUID().uuidString)").path + "/"
        try FileManager.default.createDirectory(atPath: root + "exports/j", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "c1", withIntermediateDirectories: true)
        var objects: [String: Data] = [:]
        var keys: [String] = []
        var manifest = StreamedJSON.head([("jobId", Data("\"j\"".utf8)), ("caseId", Data("\"LH-1\"".utf8))], arrayName: "objects")
        for i in 0..<count {
            let key = "c1/r\(i).json", bytes = Data("{\"n\":\(i)}".utf8)
            objects[key] = bytes
            keys.append(key)
            try bytes.write(to: URL(fileURLWithPath: root + key))
            let o = Manifest.Object(key: key, size: bytes.count, etag: Digest.md5Hex(bytes), sha256: Digest.sha256Hex(bytes),
                                    conversationId: "c1", recordingId: "r\(i)")
            manifest += StreamedJSON.element(StreamedJSON.line(o), first: i == 0)
        }
        manifest += StreamedJSON.tail(empty: count == 0)
        try manifest.write(to: URL(fileURLWithPath: root + "exports/j/manifest.json"))

        var prev = AuditChain.genesisHash, seq: Int64 = 0
        var entries = Data()
        func add(_ event: String, _ fields: [String: JSONValue]) {
            seq += 1
            let record = AuditChain.record(seq: seq, time: "t", event: event, orgId: "o", caseId: "LH-1", jobId: "j", fields: fields)
            let hash = AuditChain.hash(prevHash: prev, record: record)
            entries += StreamedJSON.element(StreamedJSON.line(CustodyFile.Entry(seq: seq, time: "t", event: event, prevHash: prev,
                                                                                  hash: hash, record: record)), first: seq == 1)
            prev = hash
        }
        add("export.accepted", [:])
        for key in keys { add("object.written", ["key": .string(key), "sha256": .string(Digest.sha256Hex(objects[key]!))]) }
        let manifestSha = Digest.sha256Hex(manifest)
        add("manifest.written", ["key": "exports/j/manifest.json", "sha256": .string(manifestSha)])
        let custody = StreamedJSON.head([("jobId", Data("\"j\"".utf8)), ("manifestSha256", Data("\"\(manifestSha)\"".utf8))],
                                        arrayName: "entries") + entries + StreamedJSON.tail(empty: false)
        try custody.write(to: URL(fileURLWithPath: root + "exports/j/chain-of-custody.json"))
        return (root, objects, keys)
    }

    /// The report as the CLI prints it, and the outcome.
    static func verify(_ root: String, source: some ExportObjectSource) async -> (lines: [String], outcome: ExportVerification.Outcome) {
        var lines: [String] = []
        let outcome = await ExportVerification.run(manifestPath: root + "exports/j/manifest.json", source: source) { part in
            switch part {
            case .object(let f): lines.append(ExportVerification.line(f))
            case .note(let text): lines.append(text)
            }
        }
        return (lines, outcome)
    }

    /// A source fetching from a copy of the bucket in memory, as a remote store answers, recording each batch's size.
    static func fetched(_ objects: [String: Data], batches: BatchLog? = nil) -> FetchedObjects {
        FetchedObjects { keys in
            batches?.sizes.withLock { $0.append(keys.count) }
            return keys.map { objects[$0] }
        }
    }

    @Test func aFolderAndAFetchedBucketGiveTheSameFindingsInManifestOrder() async throws {
        let (root, objects, keys) = try Self.export()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var bucket = objects
        // The same damage in both copies: one object changed, one gone.
        bucket["c1/r3.json"] = Data("{\"n\":-3}".utf8)
        bucket["c1/r600.json"] = nil
        try bucket["c1/r3.json"]!.write(to: URL(fileURLWithPath: root + "c1/r3.json"))
        try FileManager.default.removeItem(atPath: root + "c1/r600.json")

        let local = await Self.verify(root, source: LocalObjects())
        let batches = BatchLog()
        let remote = await Self.verify(root, source: Self.fetched(bucket, batches: batches))

        #expect(local.lines == remote.lines)
        #expect(local.outcome.exitCode == 1 && remote.outcome.exitCode == 1)
        #expect(local.outcome.text == "FAILED: 2 of 700 objects changed or missing, 0 chain problem(s) (job j)")
        #expect(remote.outcome.text == local.outcome.text)
        // Findings come out in manifest order, then the chain's notes.
        #expect(Array(local.lines.prefix(700)).map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }.map(String.init) == keys)
        #expect(local.lines[3].hasPrefix("CHANGED  c1/r3.json"))
        #expect(local.lines[600].hasPrefix("MISSING  c1/r600.json"))
        // The chain still records what was written: it is intact, the copy is not.
        #expect(Array(local.lines.dropFirst(700)) == ["CHAIN    intact: 702 entries, seq 1...702"])
        // Fetched in bounded batches, never the whole export at once.
        #expect(batches.sizes.withLock { $0 } == [512, 188])
    }

    @Test func anIntactExportVerifiesFromBothSources() async throws {
        let (root, objects, _) = try Self.export(count: 3)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let local = await Self.verify(root, source: LocalObjects())
        let remote = await Self.verify(root, source: Self.fetched(objects))
        #expect(local.outcome.exitCode == 0)
        #expect(local.outcome.text == "verified: 3 objects intact, custody chain intact (job j)")
        #expect(local.lines.last == "CHAIN    intact: 5 entries, seq 1...5")
        #expect(remote.lines == local.lines && remote.outcome.text == local.outcome.text)
    }

    @Test func aManifestWrittenWholeGoesThroughTheSameBatchesFromBothSources() async throws {
        let (root, objects, keys) = try Self.export(count: 600)
        defer { try? FileManager.default.removeItem(atPath: root) }
        // An older export: the manifest pretty-printed in one piece (no custody file, no legal hold).
        let list = keys.map { k in
            Manifest.Object(key: k, size: objects[k]!.count, etag: Digest.md5Hex(objects[k]!), sha256: Digest.sha256Hex(objects[k]!),
                            conversationId: "c1", recordingId: "r")
        }
        let request = ExportRequest(storage: .init(bucketName: "b-1", region: "eu-west-2"), filter: .init(mediaTypes: ["whatsapp"]))
        let manifest = Manifest(jobId: "j", caseId: nil, bucket: "b-1", prefix: nil, dateCreated: "2023-01-01T00:00:00.000Z",
                                dateCompleted: "2023-01-01T00:00:01.000Z", request: request,
                                counts: .init(conversations: 1, recordings: 600, exportedRecordings: 600, failedRecordings: 0,
                                              skippedRecordings: 0, objects: list.count), objects: list)
        try CanonicalJSON.data(manifest, pretty: true).write(to: URL(fileURLWithPath: root + "exports/j/manifest.json"))
        try FileManager.default.removeItem(atPath: root + "exports/j/chain-of-custody.json")
        var bucket = objects
        bucket["c1/r550.json"] = Data("{\"n\":-550}".utf8)
        try bucket["c1/r550.json"]!.write(to: URL(fileURLWithPath: root + "c1/r550.json"))

        let local = await Self.verify(root, source: LocalObjects())
        let batches = BatchLog()
        let remote = await Self.verify(root, source: Self.fetched(bucket, batches: batches))
        #expect(local.outcome.text == "FAILED: 1 of 600 objects changed or missing, 0 chain problem(s) (job j)")
        #expect(local.lines.count == 600 && local.lines[550].hasPrefix("CHANGED  c1/r550.json"))
        #expect(remote.lines == local.lines && remote.outcome.text == local.outcome.text)
        #expect(batches.sizes.withLock { $0 } == [512, 88])
    }

    /// A fuzz finding: a member line `  ": {…` (its name a lone quote) crashed the streamed reader with a reversed
    /// range; it is another layout, read whole, and refused as no manifest.
    @Test func aMemberLineWithoutANameIsAnotherLayoutNotACrash() async throws {
        #expect(StreamedDocumentReader.member("  \": {\"filter\":{}},") == nil)
        #expect(StreamedDocumentReader.member("  \"\": 1,")?.0 == "")
        #expect(StreamedDocumentReader.member("  \"jobId\": \"j\",")?.0 == "jobId")
        let (root, _, _) = try Self.export(count: 1)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "exports/j/manifest.json"
        try Data("{\n  \": {\"filter\":{}},\n  \"objects\": [\n  ]\n}\n".utf8).write(to: URL(fileURLWithPath: path))
        let verified = await Self.verify(root, source: LocalObjects())
        #expect(verified.outcome.exitCode == 2)
        #expect(verified.outcome.text.hasPrefix("error: \(path) is not a genesys-mock manifest"))
    }

    @Test func aStoreThatStopsAnsweringMakesTheVerificationIncompleteNotAFinding() async throws {
        let (root, _, _) = try Self.export(count: 3)
        defer { try? FileManager.default.removeItem(atPath: root) }
        struct Down: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let source = FetchedObjects { _ in throw Down() }
        let verified = await Self.verify(root, source: source)
        #expect(verified.outcome.exitCode == 1)
        #expect(source.trouble.message == "connection refused")
        let outcome = source.trouble.outcome(replacing: verified.outcome)
        #expect(outcome.exitCode == 2)
        #expect(outcome.text == "error: the store stopped answering during the verification, which is incomplete: connection refused")
    }
}

/// The sizes of the batches a fetched source was asked for.
final class BatchLog: Sendable {
    let sizes = Mutex<[Int]>([])
}

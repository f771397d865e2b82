import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

@Suite("chain of custody")
struct CustodyTests {
    /// A two-object export with its manifest and a linked custody slice.
    static func export(objects: [String: Data]) throws -> (Manifest, Data, CustodyFile) {
        let request = ExportRequest(storage: .init(bucketName: "b-1", region: "eu-west-2"), filter: .init(mediaTypes: ["whatsapp"]))
        let list = objects.keys.sorted().map { k in
            Manifest.Object(key: k, size: objects[k]!.count, etag: Digest.md5Hex(objects[k]!), sha256: Digest.sha256Hex(objects[k]!),
                            conversationId: "c", recordingId: "r")
        }
        let manifest = Manifest(jobId: "j", caseId: "LH-1", bucket: "b-1", prefix: nil, dateCreated: "2023-01-01T00:00:00.000Z",
                                dateCompleted: "2023-01-01T00:00:01.000Z", request: request,
                                counts: .init(conversations: 1, recordings: 1, exportedRecordings: 1, failedRecordings: 0,
                                              skippedRecordings: 0, objects: list.count), objects: list)
        let bytes = try CanonicalJSON.data(manifest, pretty: true)
        var prev = AuditChain.genesisHash
        var entries: [CustodyFile.Entry] = []
        var seq: Int64 = 0
        func add(_ event: String, _ fields: [String: JSONValue]) {
            seq += 1
            let record = AuditChain.record(seq: seq, time: "t", event: event, orgId: "o", caseId: "LH-1", jobId: "j", fields: fields)
            let hash = AuditChain.hash(prevHash: prev, record: record)
            entries.append(.init(seq: seq, time: "t", event: event, prevHash: prev, hash: hash, record: record))
            prev = hash
        }
        add("export.accepted", [:])
        for o in list { add("object.written", ["key": .string(o.key), "sha256": .string(o.sha256)]) }
        add("manifest.written", ["key": "exports/j/manifest.json", "sha256": .string(Digest.sha256Hex(bytes))])
        return (manifest, bytes, CustodyFile(jobId: "j", caseId: "LH-1", bucket: "b-1", manifestKey: "exports/j/manifest.json",
                                             manifestSha256: Digest.sha256Hex(bytes), entries: entries))
    }

    static let objects = ["a.json": Data("{\"a\":1}".utf8), "b.json": Data("{\"b\":2}".utf8)]

    @Test func anIntactExportVerifies() throws {
        let (m, bytes, custody) = try Self.export(objects: Self.objects)
        let report = ExportVerifier.verify(manifest: m, manifestBytes: bytes, custody: custody) { Self.objects[$0] }
        #expect(report.isIntact)
        #expect(report.objects.map(\.status) == [.intact, .intact])
    }

    @Test func oneChangedByteIsNamedByKey() throws {
        let (m, bytes, custody) = try Self.export(objects: Self.objects)
        var tampered = Self.objects
        tampered["b.json"] = Data("{\"b\":3}".utf8)
        let report = ExportVerifier.verify(manifest: m, manifestBytes: bytes, custody: custody) { tampered[$0] }
        #expect(!report.isIntact)
        #expect(report.objects.filter { $0.status != .intact }.map(\.key) == ["b.json"])
    }

    @Test func aMissingObjectIsReported() throws {
        let (m, bytes, custody) = try Self.export(objects: Self.objects)
        let report = ExportVerifier.verify(manifest: m, manifestBytes: bytes, custody: custody) { $0 == "a.json" ? Self.objects[$0] : nil }
        #expect(report.objects.first { $0.key == "b.json" }?.status == .missing)
    }

    @Test func anEditedChainEntryIsNamedBySeq() throws {
        let (m, bytes, custodyFile) = try Self.export(objects: Self.objects)
        var custody = custodyFile
        custody.entries[1].record = custody.entries[1].record.replacingOccurrences(of: "a.json", with: "z.json")
        let report = ExportVerifier.verify(manifest: m, manifestBytes: bytes, custody: custody) { Self.objects[$0] }
        #expect(report.chainProblems.contains { $0.hasPrefix("chain entry seq 2") })
    }

    @Test func aRelinkedChainIsCaught() throws {
        let (m, bytes, custodyFile) = try Self.export(objects: Self.objects)
        var custody = custodyFile
        // Recompute entry 3 over a forged prevHash: its own hash is consistent, the link to seq 2 is not.
        let forged = String(repeating: "f", count: 64)
        custody.entries[2].prevHash = forged
        custody.entries[2].hash = AuditChain.hash(prevHash: forged, record: custody.entries[2].record)
        let report = ExportVerifier.verify(manifest: m, manifestBytes: bytes, custody: custody) { Self.objects[$0] }
        #expect(report.chainProblems.contains("chain entry seq 3: prevHash does not link to seq 2"))
    }

    @Test func aSwappedManifestIsCaught() throws {
        let (m, _, custody) = try Self.export(objects: Self.objects)
        let other = Data("{}".utf8)
        let report = ExportVerifier.verify(manifest: m, manifestBytes: other, custody: custody) { Self.objects[$0] }
        #expect(report.chainProblems.contains { $0.hasPrefix("manifest:") })
    }

    @Test func hashesAreLowerHexOfKnownVectors() {
        #expect(Digest.sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.md5Hex(Data("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
    }
}

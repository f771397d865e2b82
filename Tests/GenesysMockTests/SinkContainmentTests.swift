import Foundation
@testable import GenesysMock
import Testing

/// Nothing outside the data folder is read, written or removed, whichever way the sink is asked: a link
/// planted in a bucket that leads outside is refused by reads, removals, assembled and streamed objects, as
/// it is by batches (`SinkFoldersTests`); the ways in that stay inside work and leave no temporary file.
@Suite final class SinkContainmentTests {
    let base: String
    let data: String
    let outside: String
    let bucket: String
    let sink: FileSink

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("sink-containment-\(UUID().uuidString)").path
        data = base + "/data"
        outside = base + "/outside"
        bucket = data + "/s3/recordings-us"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        sink = try FileSink(dataDir: data)
        try FileManager.default.createDirectory(atPath: bucket, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside + "/secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: bucket + "/planted", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: bucket + "/linked.txt", withDestinationPath: outside + "/secret.txt")
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func object(_ key: String, _ text: String) -> FileSink.NewObject {
        FileSink.NewObject(bucket: "recordings-us", key: key, data: Data(text.utf8), contentType: "text/plain",
                           userMetadata: [:], legalHold: false)
    }

    var tmpFiles: [String] { (try? FileManager.default.contentsOfDirectory(atPath: data + "/tmp")) ?? ["unreadable"] }
    var secret: String? { try? String(contentsOfFile: outside + "/secret.txt", encoding: .utf8) }

    @Test func readsThroughALinkLeadingOutsideFindNothing() async throws {
        #expect(try await sink.read(bucket: "recordings-us", key: "planted/secret.txt") == nil)
        #expect(try await sink.read(bucket: "recordings-us", key: "linked.txt") == nil)
        #expect(try await sink.objectSize(bucket: "recordings-us", key: "planted/secret.txt") == nil)
        #expect(try await sink.objectFile(bucket: "recordings-us", key: "planted/secret.txt") == nil)
        await #expect(throws: SinkError.self) {
            try await self.sink.withObjectFile(bucket: "recordings-us", key: "linked.txt") { _ in 0 }
        }
    }

    @Test func keysThatEscapeByTheirTextAreRefusedBeforeTheDisk() async throws {
        for key in ["../outside/secret.txt", "a/../../x", "%2e%2e/x", "/abs"] {
            let error = await #expect(throws: SinkError.self) { try await self.sink.write([self.object(key, "x")]) }
            #expect(error?.code == .invalidKey, "\(key)")
            #expect(try await sink.read(bucket: "recordings-us", key: key) == nil)
        }
        let error = await #expect(throws: SinkError.self) { try await self.sink.write([self.object("k", "x")].map {
            var o = $0; o.bucket = "../escape"; return o
        }) }
        #expect(error?.code == .invalidBucketName)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret.txt"])
        #expect(tmpFiles.isEmpty)
    }

    @Test func removalsThroughALinkLeaveTheFileOutsideAlone() async throws {
        try await sink.remove(bucket: "recordings-us", key: "planted/secret.txt")
        #expect(secret == "secret")
        _ = try await sink.write([object("kept/a.json", "a")])
        try await sink.remove(bucket: "recordings-us", key: "kept/a.json")
        #expect(!FileManager.default.fileExists(atPath: bucket + "/kept/a.json"), "a file inside is removed")
    }

    @Test func assembledAndStreamedObjectsAreRefusedThroughALinkAndWorkInside() async throws {
        let stored = try await sink.write([object("src/one.txt", "one "), object("src/two.txt", "two")])
        #expect(stored.count == 2)
        let sources = [bucket + "/src/one.txt", bucket + "/src/two.txt"]
        let refused = await #expect(throws: SinkError.self) {
            try await self.sink.assemble(sources, bucket: "recordings-us", key: "planted/joined.txt")
        }
        #expect(refused?.code == .accessDenied)
        let joined = try await sink.assemble(sources, bucket: "recordings-us", key: "out/joined.txt")
        #expect(joined.size == 7)
        #expect(joined.etag == FileSink.Digests(of: Data("one two".utf8)).etag)
        #expect(try String(contentsOfFile: bucket + "/out/joined.txt", encoding: .utf8) == "one two")
        // A source that is a link is not followed.
        await #expect(throws: SinkError.self) {
            try await self.sink.assemble([self.bucket + "/linked.txt"], bucket: "recordings-us", key: "out/leak.txt")
        }
        #expect(!FileManager.default.fileExists(atPath: bucket + "/out/leak.txt"))

        for key in ["planted/manifest.json", "out/manifest.json"] {
            let file = try await sink.beginStreamed()
            try await sink.append(Data("[1,".utf8), to: file)
            try await sink.append(Data(repeating: 0x20, count: FileSink.parallelHashing), to: file)
            try await sink.append(Data("2]".utf8), to: file)
            let done = try await sink.finish(file)
            #expect(done.size == 5 + FileSink.parallelHashing)
            if key.hasPrefix("planted") {
                let error = await #expect(throws: SinkError.self) {
                    try await self.sink.commit(file, bucket: "recordings-us", key: key, etag: done.etag, sha256: done.sha256)
                }
                #expect(error?.code == .accessDenied)
                await sink.discard(file)
            } else {
                let placed = try await sink.commit(file, bucket: "recordings-us", key: key, etag: done.etag, sha256: done.sha256)
                let bytes = try Data(contentsOf: URL(fileURLWithPath: bucket + "/" + key))
                #expect(placed.etag == FileSink.Digests(of: bytes).etag && placed.sha256 == FileSink.Digests(of: bytes).sha256)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret.txt"])
        #expect(tmpFiles.isEmpty)
    }

    @Test func partsGoOnlyWhereTheirUploadIdSays() async throws {
        for id in ["../x", "a/b", "", String(repeating: "a", count: 65)] {
            let error = await #expect(throws: SinkError.self) { try await self.sink.writePart(uploadId: id, number: 1, data: Data("p".utf8)) }
            #expect(error?.code == .invalidKey, "\(id)")
        }
        let part = try await sink.writePart(uploadId: "up-1", number: 2, data: Data("part".utf8))
        #expect(part.size == 4)
        #expect(try String(contentsOfFile: sink.partFile(uploadId: "up-1", number: 2), encoding: .utf8) == "part")
        #expect(tmpFiles.isEmpty)
    }

    @Test func readingInPiecesStopsAtTheEndOfTheFile() async throws {
        let body = Data((0..<1000).map { UInt8($0 % 251) })
        _ = try await sink.write([FileSink.NewObject(bucket: "recordings-us", key: "pieces/big.bin", data: body, contentType: "x",
                                                     userMetadata: [:], legalHold: false)])
        #expect(try await sink.objectSize(bucket: "recordings-us", key: "pieces/big.bin") == 1000)
        let pieces = try await sink.withObjectFile(bucket: "recordings-us", key: "pieces/big.bin") { fd in
            [try await sink.readChunk(fd, offset: 0, count: 600), try await sink.readChunk(fd, offset: 600, count: 600)]
        }
        #expect(pieces.map(\.count) == [600, 400])
        #expect(Data(pieces.joined()) == body)
        #expect(try await sink.read(bucket: "recordings-us", key: "pieces/big.bin") == body)
        // A folder under a key is not an object.
        #expect(try await sink.read(bucket: "recordings-us", key: "pieces") == nil)
    }

    @Test func emptyingTheSinkKeepsWhatLiesOutside() async throws {
        _ = try await sink.write([object("a/b.json", "x")])
        _ = try await sink.writePart(uploadId: "u", number: 1, data: Data("p".utf8))
        try await sink.removeEverything()
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/s3").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: data + "/multipart"))
        #expect(secret == "secret")
    }

    @Test func aBucketFolderGoesOnlyWhenNoFileIsLeftInIt() async throws {
        _ = try await sink.write([object("a/b.json", "x")], into: "other-bucket")
        try await sink.remove(bucket: "other-bucket", key: "a/b.json")
        try FileManager.default.createDirectory(atPath: data + "/s3/kept-bucket/deep", withIntermediateDirectories: true)
        try Data("by hand".utf8).write(to: URL(fileURLWithPath: data + "/s3/kept-bucket/deep/note.txt"))
        try await sink.removeBucketFolder("other-bucket")
        try await sink.removeBucketFolder("kept-bucket")
        #expect(!FileManager.default.fileExists(atPath: data + "/s3/other-bucket"))
        #expect(FileManager.default.fileExists(atPath: data + "/s3/kept-bucket/deep/note.txt"))
    }
}

extension FileSink {
    fileprivate func write(_ objects: [NewObject], into bucket: String) async throws -> [StoredObject] {
        try await write(objects.map { var o = $0; o.bucket = bucket; return o })
    }
}

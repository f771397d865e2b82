import Foundation
@testable import GenesysMock
import Testing

/// A batch's folders are made with one `mkdir` each below a folder already known to be real, yet a link planted in
/// the sink is still resolved: inside, it is followed; outside, the write is refused and nothing is made there.
@Suite final class SinkFoldersTests {
    let base: String
    let data: String
    let outside: String
    let sink: FileSink

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("sink-folders-\(UUID().uuidString)").path
        data = base + "/data"
        outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        sink = try FileSink(dataDir: data)
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func object(_ key: String, _ text: String = "x") -> FileSink.NewObject {
        FileSink.NewObject(bucket: "recordings-us", key: key, data: Data(text.utf8), contentType: "text/plain",
                           userMetadata: [:], legalHold: false)
    }

    @Test func aBatchMakesEveryNestedFolderAndWritesEveryObject() async throws {
        let keys = (0..<40).map { "year=2023/hour=\($0 % 3)/conversation_id=c\($0)/r\($0).json" }
        let stored = try await sink.write(keys.map { object($0, "body \($0)") })
        #expect(stored.map(\.key) == keys)
        for key in keys {
            #expect(try String(contentsOfFile: data + "/s3/recordings-us/" + key, encoding: .utf8) == "body \(key)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").isEmpty, "no temporary file is left")
    }

    @Test func aLinkInsideTheSinkIsFollowed() async throws {
        let real = data + "/s3/recordings-us/real"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: data + "/s3/recordings-us/alias", withDestinationPath: real)
        _ = try await sink.write([object("alias/deeper/a.json", "a"), object("alias/b.json", "b")])
        #expect(try String(contentsOfFile: real + "/deeper/a.json", encoding: .utf8) == "a")
        #expect(try String(contentsOfFile: real + "/b.json", encoding: .utf8) == "b")
    }

    @Test func aLinkOutsideTheSinkIsRefusedAndNothingIsMadeThere() async throws {
        try FileManager.default.createDirectory(atPath: data + "/s3/recordings-us", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: data + "/s3/recordings-us/planted", withDestinationPath: outside)
        for key in ["planted/a.json", "planted/new/deeper/b.json", "fine/c.json"] {
            let batch = [object("ok/first.json"), object(key)]
            if key.hasPrefix("fine") {
                _ = try await sink.write(batch)
            } else {
                let error = await #expect(throws: SinkError.self) { try await sink.write(batch) }
                #expect(error?.code == .accessDenied)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing was made outside the sink")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").isEmpty, "no temporary file is left")
    }

    @Test func aBigBatchIsRefusedWholeWhenOneKeyLeadsOutside() async throws {
        try FileManager.default.createDirectory(atPath: data + "/s3/recordings-us", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: data + "/s3/recordings-us/planted", withDestinationPath: outside)
        var batch = (0..<128).map { object("day/c\($0)/r\($0).json") }
        batch[batch.count - 3] = object("planted/escape.json")  // after 125 objects were staged
        let error = await #expect(throws: SinkError.self) { try await sink.write(batch) }
        #expect(error?.code == .accessDenied)
        #expect(!FileManager.default.fileExists(atPath: data + "/s3/recordings-us/day/c0/r0.json"), "no object of the batch is placed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing was made outside the sink")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").isEmpty, "no temporary file is left")
        let stored = try await sink.write(Array(batch.prefix(batch.count - 3)))
        #expect(stored.count == batch.count - 3, "the same objects are written once the bad key is gone")
    }

    @Test func aFileWhereAFolderShouldBeFailsTheBatch() async throws {
        _ = try await sink.write([object("taken", "a file")])
        let error = await #expect(throws: SinkError.self) { try await sink.write([object("taken/below.json")]) }
        #expect(error?.code == .io)
        #expect(try String(contentsOfFile: data + "/s3/recordings-us/taken", encoding: .utf8) == "a file")
    }

    @Test func aStagedBatchIsUnderNoKeyUntilPlacedAndADiscardedOneLeavesNothing() async throws {
        let keys = (0..<8).map { "staged/c\($0)/r\($0).json" }
        let staged = try await sink.stage(keys.map { object($0, "staged \($0)") })
        for key in keys { #expect(!FileManager.default.fileExists(atPath: data + "/s3/recordings-us/" + key), "\(key) before place") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").count == keys.count)
        // An export stages its next batch while this one is placed: both at once.
        let other = (0..<8).map { "other/c\($0)/r\($0).json" }
        let sink = self.sink, fresh = other.map { object($0) }
        async let placing = sink.place(staged)
        let next = try await sink.stage(fresh)
        #expect(try await placing.map(\.key) == keys)
        for key in keys {
            #expect(try String(contentsOfFile: data + "/s3/recordings-us/" + key, encoding: .utf8) == "staged \(key)")
        }
        await sink.discard(next)
        for key in other { #expect(!FileManager.default.fileExists(atPath: data + "/s3/recordings-us/" + key)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").isEmpty, "no temporary file is left")
    }

    /// A big batch is staged in two halves at once: they share hour folders, and the batch keeps its order.
    @Test func aBigBatchIsStagedInTwoHalvesThatKeepItsOrder() async throws {
        let count = FileSink.splitStagingAt * 2 + 1
        let keys = (0..<count).map { "hour=\($0 % 3)/conversation_id=c\($0)/r\($0).json" }
        let staged = try await sink.stage(keys.map { object($0, "body \($0)") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").count == count)
        for key in keys { #expect(!FileManager.default.fileExists(atPath: data + "/s3/recordings-us/" + key), "\(key) before place") }
        #expect(try await sink.place(staged).map(\.key) == keys)
        for key in keys {
            #expect(try String(contentsOfFile: data + "/s3/recordings-us/" + key, encoding: .utf8) == "body \(key)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").isEmpty, "no temporary file is left")
    }

    /// When either half of a big batch is refused, the other half's temporary files go too, and nothing is placed.
    @Test(arguments: [2, 125]) func aHalfRefusedTakesTheOtherHalfsFilesWithIt(badIndex: Int) async throws {
        try FileManager.default.createDirectory(atPath: data + "/s3/recordings-us", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: data + "/s3/recordings-us/planted", withDestinationPath: outside)
        var batch = (0..<128).map { object("day/c\($0)/r\($0).json") }
        batch[badIndex] = object("planted/escape.json")
        let error = await #expect(throws: SinkError.self) { try await sink.stage(batch) }
        #expect(error?.code == .accessDenied)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/tmp").isEmpty, "no temporary file is left")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing was made outside the sink")
        #expect(!FileManager.default.fileExists(atPath: data + "/s3/recordings-us/day/c0/r0.json"), "no object is placed")
    }
}

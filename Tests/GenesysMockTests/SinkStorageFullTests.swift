import Foundation
@testable import GenesysMock
import SystemPackage
import Testing
import MockStore

/// A full disk reads as `diskFull` (507 on both ports, a waiting export), the storage condition follows it, and
/// a write cut short leaves nothing behind: no partial object under its key, no temporary file.
@Suite final class SinkStorageFullTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("sink-full-\(UUID().uuidString)").path

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func object(_ key: String, bytes: Int) -> FileSink.NewObject {
        FileSink.NewObject(bucket: "recordings-us", key: key, data: Data(repeating: 0x61, count: bytes), contentType: "text/plain",
                           userMetadata: [:], legalHold: false)
    }

    /// `/dev/full` answers every write with ENOSPC: the sink's own write call reports it as a full disk.
    @Test func aWriteTheKernelRefusesForSpaceIsDiskFull() throws {
        let fd = try FileDescriptor.createOrTruncate("/dev/full")
        defer { try? fd.close() }
        let error = #expect(throws: SinkError.self) {
            try SinkError.naming("could not write an object") { try fd.write(everyByteOf: Data(repeating: 1, count: 4096)) }
        }
        #expect(error?.code == .diskFull)
        #expect(error?.message == "could not write an object: No space left on device")
        if let error { #expect(StorageCondition.isStorageFull(error)) }
    }

    @Test func aQuotaIsAFullDiskAndOtherFailuresAreNot() {
        #expect(SinkError.failed("w", .diskQuotaExceeded).code == .diskFull)
        for other: Errno in [.ioError, .permissionDenied, .noSuchFileOrDirectory, .fileExists, .readOnlyFileSystem] {
            #expect(SinkError.failed("w", other).code == .io, "\(other)")
        }
        let missing = #expect(throws: SinkError.self) {
            try SinkError.naming("could not create a temporary file") { _ = try FileDescriptor.createNew(self.base + "/no/such/folder/x") }
        }
        #expect(missing?.code == .io)
        #expect(missing?.message == "could not create a temporary file: No such file or directory")
    }

    /// Only a full disk changes the condition; a write that succeeds clears it.
    @Test func theStorageConditionFollowsTheSinksWrites() async throws {
        let sink = try FileSink(dataDir: base + "/data")
        await #expect(throws: SinkError.self) {
            try await sink.noting { throw SinkError(code: .io, message: "not about space") }
        }
        #expect(!sink.storage.isFull)
        await #expect(throws: SinkError.self) {
            try await sink.noting { throw SinkError.failed("could not write an object", .noSpace) }
        }
        #expect(sink.storage.isFull)
        _ = try await sink.write([object("a.json", bytes: 10)])
        #expect(!sink.storage.isFull)
    }

    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-probe-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard run("/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe) else { return false }
        return run("/bin/umount", probe)
    }()

    static func run(_ tool: String, _ arguments: String...) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// Writes a file until the disk refuses, then smaller pieces to take the last pages too.
    static func fill(_ path: String) throws {
        let fd = try FileDescriptor.createOrTruncate(path)
        defer { try? fd.close() }
        for size in [64 << 10, 512] {
            while (try? fd.write(everyByteOf: Data(count: size))) != nil {}
        }
    }

    /// On a real small disk: every way of writing fails as `diskFull` without a trace, and carries on once space
    /// is back. (Mounting a tmpfs needs root, as CI runs; elsewhere the live test_disk_full is skipped alike.)
    @Test(.enabled(if: canMountTmpfs, "mounting a tmpfs needs root and a kernel that allows it"))
    func onAFullDiskNothingIsLeftBehindAndWritesResumeOnceSpaceIsBack() async throws {
        let disk = base + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        #expect(Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk))
        defer { _ = Self.run("/bin/umount", "-l", disk) }
        let sink = try FileSink(dataDir: disk + "/data")
        let ballast = disk + "/ballast"
        try Self.fill(ballast)
        let tmp = disk + "/data/tmp", objects = disk + "/data/s3/recordings-us"

        for batch in [[object("big/a.bin", bytes: 256 << 10)], (0..<8).map { object("many/\($0).bin", bytes: 64 << 10) }] {
            let error = await #expect(throws: SinkError.self) { try await sink.write(batch) }
            #expect(error?.code == .diskFull)
            #expect(sink.storage.isFull)
            for o in batch { #expect(!FileManager.default.fileExists(atPath: objects + "/" + o.key), "\(o.key) is not there in part") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "no temporary file is left")
        }
        let part = await #expect(throws: SinkError.self) {
            try await sink.writePart(uploadId: "u1", number: 1, data: Data(repeating: 1, count: 256 << 10))
        }
        #expect(part?.code == .diskFull)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "no temporary part is left")

        try FileManager.default.removeItem(atPath: ballast)
        let stored = try await sink.write([object("big/a.bin", bytes: 256 << 10)])
        #expect(stored.first?.size == 256 << 10)
        #expect(!sink.storage.isFull, "a write that finds room clears the condition")
        #expect(try Data(contentsOf: URL(fileURLWithPath: objects + "/big/a.bin")).count == 256 << 10)
    }
}

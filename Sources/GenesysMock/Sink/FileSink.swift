import Foundation
import MockStore
import RecordingsDomain
#if canImport(Glibc)
import Glibc
#endif

/// The filesystem side of the fake S3 sink (CONTRACT §8): `{data}/s3/{bucket}/{key}` holds exactly the object's
/// bytes. One concern per file:
/// - `FileSink+Stage`: how objects reach their keys (staged, synced, renamed, synced), so that a crash never
///   leaves a partial object under its real key; `FileSink+Assemble`, `FileSink+Parts` and `StreamedSinkFile`
///   write the same way.
/// - `SinkPath`, `SinkContainment`, `SinkFolders`: which keys are files, and that nothing is touched outside
///   the sink.
/// - `SinkStorageFull`: a full disk as `diskFull`, and the storage condition told.
/// - `FileSink+Read`, `FileSink+Cleanup`: reading objects back; emptying and removing.
/// - `FileCalls`: every system call, on swift-system's `FileDescriptor`.
package struct FileSink: Sendable {
    package struct NewObject: Sendable {
        package var bucket: String
        package var key: String
        package var data: Data
        package var contentType: String
        package var userMetadata: [String: String]
        package var legalHold: Bool
        /// The bytes' MD5 (the ETag) and SHA-256 when the producer has them already: an export hashes each object
        /// where it renders it, on the pool's threads, so the batch's write (the export's slowest step) does not.
        /// `writeBlocking` hashes an object that comes without them.
        package var digests: Digests? = nil
    }

    package struct Digests: Sendable, Equatable {
        package var etag: String
        package var sha256: String

        package init(of data: Data) {
            etag = Digest.md5Hex(data)
            sha256 = Digest.sha256Hex(data)
        }
    }

    package struct StoredObject: Sendable, Equatable {
        package var bucket: String
        package var key: String
        package var size: Int
        package var etag: String
        package var sha256: String
    }

    package let root: String
    /// `root` with every symlink resolved, once: a key's real path must lie below it.
    let realRoot: String
    let tmpDir: String
    /// Told when a write fails for lack of space, and when writes succeed again.
    package let storage: StorageCondition

    /// Creates `{data}/s3` and `{data}/tmp`, and clears temporary files a crash may have left.
    package init(dataDir: String, storage: StorageCondition = StorageCondition()) throws {
        self.storage = storage
        root = dataDir + "/s3"
        tmpDir = dataDir + "/tmp"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        try? fm.removeItem(atPath: tmpDir)
        try fm.createDirectory(atPath: tmpDir, withIntermediateDirectories: true)
        guard let r = realpath(root, nil) else { throw SinkError(code: .io, message: "cannot resolve the sink folder \(root)") }
        realRoot = String(cString: r)
        free(r)
    }

    /// Where an object's file goes (not yet resolved: see `SinkContainment`).
    package func path(bucket: String, key: String) throws(SinkError) -> String {
        root + "/" + (try SinkPath.relative(bucket: bucket, key: key))
    }

    /// The folder of a file's path (`deletingLastPathComponent` without bridging to `NSString`).
    static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[..<slash])
    }
}

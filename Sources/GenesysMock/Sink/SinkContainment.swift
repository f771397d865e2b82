import Foundation
import MockStore
#if canImport(Glibc)
import Glibc
#endif

/// Nothing outside `{data}/s3` is ever read, written or removed. `SinkPath` refuses keys that could escape by
/// their text (`..`, a leading `/`, encoded traversals); these checks refuse the ones that escape on disk,
/// through a symlink planted in the sink: a path is trusted only once its real path (links resolved) lies below
/// the sink's own real path.
extension FileSink {
    static let outsideBucket = SinkError(code: .accessDenied, message: "Access Denied: the key resolves outside the bucket")

    /// The real path (symlinks resolved) of an object's file, when it lies inside the sink.
    func realObjectPath(bucket: String, key: String) -> String? {
        guard let p = try? path(bucket: bucket, key: key), let real = realPath(p), real.hasPrefix(realRoot + "/") else { return nil }
        return real
    }

    /// The real path of a stored object's file, for `assemble`, when it lies inside the sink (resolved on a
    /// blocking-IO thread: `realpath` walks the disk).
    package func objectFile(bucket: String, key: String) async throws -> String? {
        try await BlockingIO.run { realObjectPath(bucket: bucket, key: key) }
    }

    /// True when the real path (symlinks resolved) of an existing folder lies below the sink root.
    func isInsideRoot(_ path: String, orRoot: Bool = false) -> Bool {
        guard let real = realPath(path) else { return false }
        return real.hasPrefix(realRoot + "/") || (orRoot && real == realRoot)
    }

    /// The path itself if it exists (following links), else its nearest existing ancestor.
    func deepestExisting(_ path: String) -> String {
        var p = path
        while !FileManager.default.fileExists(atPath: p), p.count > root.count {
            p = (p as NSString).deletingLastPathComponent
        }
        return p
    }

    /// A path with every link resolved; for a file that does not exist yet, its folder's real path and its name.
    func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else {
            let parent = (path as NSString).deletingLastPathComponent
            guard parent != path, let rp = realpath(parent, nil) else { return nil }
            defer { free(rp) }
            return String(cString: rp) + "/" + (path as NSString).lastPathComponent
        }
        defer { free(r) }
        return String(cString: r)
    }
}

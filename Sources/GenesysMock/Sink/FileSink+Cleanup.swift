import Foundation
import RecordingsDomain
import MockStore

/// Removing what the sink holds: everything (for `/__admin/reset`), one object, a deleted bucket's folder. Like
/// every write, only inside the sink: a path that resolves elsewhere is left alone.
extension FileSink {
    /// Empties the sink (for `/__admin/reset`): every bucket folder, multipart parts and any temporary file, but
    /// the folders of `keeping` and the parts of `keepingUploads` (the tenants', which a reset of the shared world
    /// leaves alone).
    package func removeEverything(keeping: Set<String> = [], keepingUploads: Set<String> = []) async throws {
        try await BlockingIO.run { try removeEverythingBlocking(keeping: keeping, keepingUploads: keepingUploads) }
    }

    func removeEverythingBlocking(keeping: Set<String> = [], keepingUploads: Set<String> = []) throws {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: root)) ?? [] where !keeping.contains(name) {
            try fm.removeItem(atPath: root + "/" + name)
        }
        for name in (try? fm.contentsOfDirectory(atPath: tmpDir)) ?? [] { try? fm.removeItem(atPath: tmpDir + "/" + name) }
        if keepingUploads.isEmpty {
            try? fm.removeItem(atPath: partsRoot)
        } else {
            for name in (try? fm.contentsOfDirectory(atPath: partsRoot)) ?? [] where !keepingUploads.contains(name) {
                try? fm.removeItem(atPath: partsRoot + "/" + name)
            }
        }
    }

    /// Moves a bucket's folder, with everything in it, out of the sink into its temporary folder (a tenant's reset
    /// or delete, after its rows are gone) and answers where it went; nil when there is none. Only a valid bucket
    /// name, only a real folder inside the sink, never through a symbolic link. A rename, so it takes the same time
    /// for ten objects as for ten thousand; `removeDetached` deletes it later, and a crash in between leaves it in
    /// the temporary folder, which the next start empties.
    package func detachBucketFolder(_ bucket: String) async throws -> String? {
        guard NameRules.isBucketName(bucket) else { return nil }
        return try await BlockingIO.run {
            let folder = root + "/" + bucket
            guard isInsideRoot(folder) else { return nil }
            let fm = FileManager.default
            guard let type = try? fm.attributesOfItem(atPath: folder)[.type] as? FileAttributeType, type == .typeDirectory else { return nil }
            let aside = tmpDir + "/detached-" + RandomID.uuid()
            try fm.moveItem(atPath: folder, toPath: aside)
            return aside
        }
    }

    /// Deletes folders `detachBucketFolder` moved aside.
    package func removeDetached(_ folders: [String]) async throws {
        guard !folders.isEmpty else { return }
        try await BlockingIO.run {
            for folder in folders where folder.hasPrefix(tmpDir + "/detached-") { try? FileManager.default.removeItem(atPath: folder) }
        }
    }

    /// Removes an object's file, only when its real path (symlinks resolved) lies inside the sink.
    package func remove(bucket: String, key: String) async throws {
        try await BlockingIO.run { try removeBlocking(bucket: bucket, key: key) }
    }

    func removeBlocking(bucket: String, key: String) throws {
        let p = try path(bucket: bucket, key: key)
        guard isInsideRoot(Self.folder(of: p)) else { return }
        FileCalls.remove(p)
    }

    /// Removes a deleted bucket's folder when nothing but empty folders is left in it (a file someone put there
    /// by hand stays, and so does its folder).
    package func removeBucketFolder(_ bucket: String) async throws {
        guard NameRules.isBucketName(bucket) else { return }
        try await BlockingIO.run {
            let folder = root + "/" + bucket
            guard isInsideRoot(folder) else { return }
            let fm = FileManager.default
            var hasFile = false
            if let walk = fm.enumerator(atPath: folder) {
                while let item = walk.nextObject() as? String {
                    var isDir: ObjCBool = false
                    if !fm.fileExists(atPath: folder + "/" + item, isDirectory: &isDir) || !isDir.boolValue { hasFile = true; break }
                }
            }
            if !hasFile { try? fm.removeItem(atPath: folder) }
        }
    }
}

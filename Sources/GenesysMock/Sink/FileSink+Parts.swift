import Foundation
import MockStore

/// Multipart parts on disk: `{data}/multipart/{uploadId}/{partNumber}`, outside every bucket's keys. Each part is
/// written like an object (temporary file, fsync, rename), so a crash never leaves half a part under its name.
extension FileSink {
    var partsRoot: String { (root as NSString).deletingLastPathComponent + "/multipart" }

    /// Upload ids are made by the mock (letters, digits, `-`); anything else never reaches the disk.
    package static func isUploadId(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { $0 == 0x2D || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }
    }

    package func partFile(uploadId: String, number: Int) -> String { partsRoot + "/\(uploadId)/\(number)" }

    /// Stores a part durably (replacing an earlier upload of the same number); returns its size and MD5.
    package func writePart(uploadId: String, number: Int, data: Data) async throws -> (size: Int, md5: String) {
        guard Self.isUploadId(uploadId), (1...10_000).contains(number) else { throw SinkError(code: .invalidKey, message: "invalid part") }
        return try await noting { try await BlockingIO.run {
            let folder = partsRoot + "/" + uploadId
            try makeFolders(folder)
            let tmp = tmpDir + "/\(RandomID.uuid())-part"
            defer { FileCalls.remove(tmp) }
            try writeNewFile(tmp, data, sync: true)
            try placeOne(tmp, at: folder + "/\(number)", what: "could not move a part into place")
            return (data.count, Digest.md5Hex(data))
        } }
    }

    /// Removes an upload's parts folder (after Complete or Abort).
    package func removeParts(uploadId: String) async throws {
        guard Self.isUploadId(uploadId) else { return }
        try await BlockingIO.run { try? FileManager.default.removeItem(atPath: partsRoot + "/" + uploadId) }
    }

    /// Removes parts folders of uploads the database no longer knows (a crash between a commit and the cleanup).
    package func removeParts(except known: Set<String>) async throws {
        try await BlockingIO.run {
            let fm = FileManager.default
            for name in (try? fm.contentsOfDirectory(atPath: partsRoot)) ?? [] where !known.contains(name) {
                try? fm.removeItem(atPath: partsRoot + "/" + name)
            }
        }
    }
}

import RecordingsDomain

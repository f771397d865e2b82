import Crypto
import Foundation
import MockStore
import NIOHTTP1
import RecordingsDomain
import SystemPackage

/// Objects written from a file on disk (the manifest and custody file of an export): one PutObject up to
/// `partSize`, a multipart upload of `partSize` parts past it. Only one part is in memory at a time.
extension RemoteS3Client {
    package static let partSize = 8 << 20

    /// Uploads the file at `path` (`size` bytes) under `key`; returns the ETag the store gave.
    package func putFile(_ key: String, path: String, size: Int, contentType: String, userMetadata: [String: String],
                 legalHold: Bool) async throws -> String {
        if size <= Self.partSize {
            let data = try await Self.readRange(path, offset: 0, count: size)
            return try await put(key, data: data, contentType: contentType, userMetadata: userMetadata, legalHold: legalHold)
        }
        let created = try await call(.POST, key: key, query: "uploads=",
                                     headers: Self.objectHeaders(contentType: contentType, userMetadata: userMetadata, legalHold: legalHold))
        guard let uploadId = RemoteS3Answer(created.body).text("InitiateMultipartUploadResult", "UploadId") else {
            throw RemoteS3Error(code: "InternalError", message: "the store started a multipart upload of \(key) without an UploadId")
        }
        let upload = "uploadId=" + SigV4.uriEncode(uploadId)
        do {
            var parts: [String] = []
            var offset = 0
            while offset < size {
                let chunk = try await Self.readRange(path, offset: offset, count: min(Self.partSize, size - offset))
                let md5 = Data(Insecure.MD5.hash(data: chunk))
                let answer = try await call(.PUT, key: key, query: "partNumber=\(parts.count + 1)&\(upload)",
                                            headers: [("content-md5", md5.base64EncodedString())], body: chunk)
                parts.append(answer.headers.first(name: "etag") ?? "\"\(Digest.hex(md5))\"")
                offset += chunk.count
            }
            var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            for (i, etag) in parts.enumerated() {
                xml += "<Part><PartNumber>\(i + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
            }
            xml += "</CompleteMultipartUpload>"
            let done = try await call(.POST, key: key, query: upload, headers: [("content-type", "application/xml")], body: Data(xml.utf8))
            // S3 may answer 200 and still put an error in the body of a CompleteMultipartUpload.
            let answer = RemoteS3Answer(done.body)
            if let code = answer.text("Error", "Code") {
                throw RemoteS3Error(code: code, message: (answer.text("Error", "Message") ?? "the upload was not completed") + " (key \(key))")
            }
            return (answer.text("CompleteMultipartUploadResult", "ETag") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        } catch {
            _ = try? await call(.DELETE, key: key, query: upload, accept: [404])
            throw error
        }
    }

    /// The ETag a store gives the file at `path` once uploaded by `putFile`: its MD5, or for a multipart upload the
    /// MD5 of its parts' MD5s and their count.
    package static func expectedETag(path: String, size: Int) async throws -> String {
        if size <= partSize { return Digest.hex(Insecure.MD5.hash(data: try await readRange(path, offset: 0, count: size))) }
        var digests = Data()
        var offset = 0
        var count = 0
        while offset < size {
            let chunk = try await readRange(path, offset: offset, count: min(partSize, size - offset))
            digests += Data(Insecure.MD5.hash(data: chunk))
            offset += chunk.count
            count += 1
        }
        return Digest.hex(Insecure.MD5.hash(data: digests)) + "-\(count)"
    }

    /// `count` bytes of a file from `offset`, read on a blocking-IO thread.
    static func readRange(_ path: String, offset: Int, count: Int) async throws -> Data {
        try await BlockingIO.run {
            guard let (fd, _) = FileDescriptor.openRegularFile(path) else {
                throw RemoteS3Error(code: "InternalError", message: "cannot read the staged file of an upload")
            }
            defer { try? fd.close() }
            var data = Data(count: count)
            let read = data.withUnsafeMutableBytes { try? fd.read(fromAbsoluteOffset: offset, filling: $0) }
            guard read == count else { throw RemoteS3Error(code: "InternalError", message: "the staged file of an upload was cut short") }
            return data
        }
    }
}

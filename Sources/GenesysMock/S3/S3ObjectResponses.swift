import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import RecordingsDomain

/// GetObject (with Range), HeadObject and PutObject responses and their S3 headers.
struct S3ObjectResponses {
    let store: S3Store

    static func headers(_ r: ObjectRecord) -> HTTPFields {
        var h: HTTPFields = [
            .contentType: r.contentType, .eTag: "\"\(r.etag)\"", .lastModified: Timestamp.httpDate(millis: r.lastModified),
            .acceptRanges: "bytes",
        ]
        for (k, v) in r.userMetadata.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPField.Name("x-amz-meta-\(k)") { h[name] = v }
        }
        if r.legalHold { h[HTTPField.Name("x-amz-object-lock-legal-hold")!] = "ON" }
        if !r.tags.isEmpty { h[HTTPField.Name("x-amz-tagging-count")!] = String(r.tags.count) }
        if let retention = r.retention {
            h[S3ObjectLockRoutes.modeHeader] = retention.mode.rawValue
            h[S3ObjectLockRoutes.untilHeader] = Timestamp.format(millis: retention.retainUntil)
        }
        return h
    }

    func head(_ bucket: String, _ key: String) async throws -> Response {
        let object = try await store.object(bucket, key)
        var h = object.headers
        h[.contentLength] = String(object.record.size)
        return Response(status: .ok, headers: h)
    }

    func get(_ request: Request, _ bucket: String, _ key: String, accessKey: String) async throws -> Response {
        let (object, bytes): (S3Store.CachedObject, S3Store.Bytes)
        if let (cached, buffer) = store.cachedRead(bucket, key) {
            (object, bytes) = (cached, .memory(buffer))
        } else {
            (object, bytes) = try await store.get(bucket, key, accessKey: accessKey)
        }
        var h = object.headers
        let size = bytes.size
        guard let rangeHeader = request.headers[.range] else {
            return Response(status: .ok, headers: h, body: body(bytes, bucket, key, range: size == 0 ? nil : 0...(size - 1)))
        }
        guard let range = Self.range(rangeHeader, size: size) else {
            var e = S3Error(.rangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable", bucket: bucket, key: key)
            e.headers[.contentRange] = "bytes */\(size)"
            throw e
        }
        h[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
        return Response(status: .partialContent, headers: h, body: body(bytes, bucket, key, range: range))
    }

    /// Bytes of a file are read 1 MiB at a time while the client takes them.
    func body(_ bytes: S3Store.Bytes, _ bucket: String, _ key: String, range: ClosedRange<Int>?) -> ResponseBody {
        guard let range else { return ResponseBody() }
        switch bytes {
        case .memory(let buffer):
            return ResponseBody(byteBuffer: range.count == buffer.readableBytes ? buffer
                                : buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count)!)
        case .file:
            let sink = store.sink
            return ResponseBody(contentLength: range.count) { writer in
                try await sink.withObjectFile(bucket: bucket, key: key) { fd in
                    var offset = range.lowerBound
                    while offset <= range.upperBound {
                        let count = min(FileSink.chunkSize, range.upperBound - offset + 1)
                        let chunk = try await sink.readChunk(fd, offset: offset, count: count)
                        guard chunk.count == count else { throw SinkError(code: .io, message: "the object's file shrank while it was read") }
                        try await writer.write(ByteBuffer(bytes: chunk))
                        offset += count
                    }
                }
                try await writer.finish(nil)
            }
        }
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n`; nil when unsatisfiable or malformed.
    static func range(_ header: String, size: Int) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2, size > 0 else { return nil }
        if spec[0].isEmpty {
            guard let n = Int(spec[1]), n > 0 else { return nil }
            return max(0, size - n)...(size - 1)
        }
        guard let start = Int(spec[0]), start < size else { return nil }
        let end = spec[1].isEmpty ? size - 1 : (Int(spec[1]).map { min($0, size - 1) } ?? -1)
        return end >= start ? start...end : nil
    }

    /// The request's `x-amz-meta-*` headers, by name without the prefix.
    static func userMetadata(_ request: Request) -> [String: String] {
        var metadata: [String: String] = [:]
        for field in request.headers {
            let name = field.name.rawName.lowercased()
            if name.hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst("x-amz-meta-".count))] = field.value }
        }
        return metadata
    }

    func put(_ request: Request, _ bucket: String, _ key: String, body: Data, accessKey: String) async throws -> Response {
        let metadata = Self.userMetadata(request)
        let hold = request.headers[HTTPField.Name("x-amz-object-lock-legal-hold")!]?.uppercased() == "ON"
        if hold { try await store.requireObjectLock(bucket, key: key) }
        try S3Digest.checkContentMD5(request, body: body, bucket: bucket, key: key)
        let lock = try await S3ObjectLockRoutes(store: store).lock(request, bucket, key)
        let record = try await store.put(bucket, key, data: body, contentType: request.headers[.contentType] ?? "binary/octet-stream",
                                         metadata: metadata, legalHold: hold, lock: lock, accessKey: accessKey)
        return Response(status: .ok, headers: [.eTag: "\"\(record.etag)\""])
    }
}

/// ListObjectsV2 (and v1) parameters and the XML answer; continuation tokens say whether they resume after a key
/// or after a common prefix.
struct S3ListRequest {
    static let parameters: Set<String> = ["list-type", "prefix", "delimiter", "max-keys", "continuation-token", "start-after",
                                          "encoding-type", "fetch-owner", "marker"]
    let query: [String: String]
    let bucket: String

    func respond(_ store: S3Store) async throws -> Response {
        let v2 = query["list-type"] == "2"
        let prefix = query["prefix"] ?? ""
        let delimiter = query["delimiter"] ?? ""
        let urlEncode = query["encoding-type"] == "url"
        var maxKeys = 1000
        if let raw = query["max-keys"] {
            guard let n = Int(raw), n >= 0 else { throw S3Error(.badRequest, "InvalidArgument", "Provided max-keys not an integer or within integer range") }
            maxKeys = min(n, 1000)
        }
        var after = v2 ? (query["start-after"] ?? "") : (query["marker"] ?? "")
        var skipUnder: String?
        if v2, let token = query["continuation-token"] {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.count >= 2 else {
                throw S3Error(.badRequest, "InvalidArgument", "The continuation token provided is incorrect")
            }
            after = String(text.dropFirst(2))
            if text.hasPrefix("P:") { skipUnder = after }
        } else if !v2, !delimiter.isEmpty, after.hasSuffix(delimiter) {
            skipUnder = after
        }
        let listing = try await store.list(bucket, prefix: prefix, delimiter: delimiter, maxKeys: maxKeys, after: after, skipUnder: skipUnder)
        func enc(_ s: String) -> String { S3XML.escape(urlEncode ? SigV4.uriEncode(s, keepSlash: true) : s) }
        var xml = "<ListBucketResult xmlns=\"\(S3XML.ns)\"><Name>\(S3XML.escape(bucket))</Name><Prefix>\(enc(prefix))</Prefix>"
        if !delimiter.isEmpty { xml += "<Delimiter>\(enc(delimiter))</Delimiter>" }
        xml += "<MaxKeys>\(maxKeys)</MaxKeys><IsTruncated>\(listing.isTruncated)</IsTruncated>"
        if urlEncode { xml += "<EncodingType>url</EncodingType>" }
        if v2 {
            xml += "<KeyCount>\(listing.contents.count + listing.commonPrefixes.count)</KeyCount>"
            if let t = query["continuation-token"] { xml += S3XML.element("ContinuationToken", t) }
            if let s = query["start-after"] { xml += "<StartAfter>\(enc(s))</StartAfter>" }
            if listing.isTruncated, let marker = listing.nextMarker {
                let token = Data(((listing.nextMarkerIsPrefix ? "P:" : "K:") + marker).utf8).base64EncodedString()
                xml += S3XML.element("NextContinuationToken", token)
            }
        } else {
            xml += "<Marker>\(enc(query["marker"] ?? ""))</Marker>"
            if listing.isTruncated, let marker = listing.nextMarker { xml += "<NextMarker>\(enc(marker))</NextMarker>" }
        }
        xml.reserveCapacity(xml.utf8.count + listing.contents.count * 240 + listing.commonPrefixes.count * 64)
        for r in listing.contents {
            xml += "<Contents><Key>"
            xml += enc(r.key)
            xml += "</Key><LastModified>"
            xml += Timestamp.format(millis: r.lastModified)
            xml += "</LastModified><ETag>&quot;"
            xml += r.etag
            xml += "&quot;</ETag><Size>"
            xml += String(r.size)
            xml += "</Size><StorageClass>STANDARD</StorageClass></Contents>"
        }
        for p in listing.commonPrefixes { xml += "<CommonPrefixes><Prefix>\(enc(p))</Prefix></CommonPrefixes>" }
        xml += "</ListBucketResult>"
        return S3XML.response(xml)
    }
}

import Foundation
import RecordingsDomain

/// Why the sink refused a bucket name or key. Nothing outside `{data}/s3` is ever touched.
package struct SinkError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable { case invalidBucketName = "InvalidBucketName", invalidKey = "InvalidArgument", accessDenied = "AccessDenied", io = "InternalError", diskFull = "InsufficientStorage" }
    package var code: Code
    package var message: String
    package var description: String { "\(code.rawValue): \(message)" }
}

/// Maps a bucket and key to a relative path under the sink root, refusing anything that could escape it.
package enum SinkPath {
    package static func relative(bucket: String, key: String) throws(SinkError) -> String {
        guard NameRules.isBucketName(bucket) else {
            throw SinkError(code: .invalidBucketName, message: "The specified bucket name is not valid: \(bucket)")
        }
        if let problem = keyProblem(key) { throw SinkError(code: .invalidKey, message: "Invalid object key: \(problem)") }
        return bucket + "/" + key
    }

    /// nil when the key can be stored as a file below its bucket folder.
    package static func keyProblem(_ key: String) -> String? {
        // Bytes, not Characters: every S3 request and every object a verify reads passes here. A UTF-8 byte below
        // 0x20 or equal to 0x7F is exactly a control character (multi-byte sequences use bytes from 0x80).
        let bytes = key.utf8
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        if bytes.isEmpty { return "the key is empty" }
        if bytes.count > 1024 { return "the key is longer than 1024 bytes" }
        if bytes.first == slash { return "the key starts with '/'" }
        if bytes.last == slash { return "the key ends with '/'" }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "the key contains a control character or NUL" }
        for segment in bytes.split(separator: slash, omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the key has an empty segment ('//')" }
            if segment.count <= 2, segment.allSatisfy({ $0 == dot }) { return "the key has a '\(String(decoding: segment, as: UTF8.self))' segment" }
            if segment.count > 255 { return "a segment of the key is longer than 255 bytes" }
        }
        if bytes.contains(UInt8(ascii: "%")), let decoded = encodedTraversal(key) { return "the key has an encoded '\(decoded)' segment" }
        return nil
    }

    /// A `.` or `..` segment hidden behind percent-encoding (`%2e%2e/x`, `a/%2E./b`, `%252e%252e/x`), which a
    /// proxy or a careless client would decode into a traversal: the segment as decoded, or nil.
    static func encodedTraversal(_ key: String) -> String? {
        guard key.contains("%") else { return nil }
        var text = key
        for _ in 0..<3 {
            guard text.contains("%"), let decoded = text.removingPercentEncoding, decoded != text else { return nil }
            for segment in decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }) where segment == "." || segment == ".." {
                return String(segment)
            }
            text = decoded
        }
        return nil
    }
}

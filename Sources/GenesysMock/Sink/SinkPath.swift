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
        var key = key
        let problem: String?? = key.withUTF8 { b in
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            if b.isEmpty { return "the key is empty" }
            if b.count > 1024 { return "the key is longer than 1024 bytes" }
            if b[0] == slash { return "the key starts with '/'" }
            if b[b.count - 1] == slash { return "the key ends with '/'" }
            var percent = false
            for c in b {
                if c < 0x20 || c == 0x7F { return "the key contains a control character or NUL" }
                if c == UInt8(ascii: "%") { percent = true }
            }
            var start = 0
            for i in 0...b.count where i == b.count || b[i] == slash {
                let length = i - start
                if length == 0 { return "the key has an empty segment ('//')" }
                if length <= 2, b[start] == dot, length == 1 || b[start + 1] == dot {
                    return "the key has a '\(length == 1 ? "." : "..")' segment"
                }
                if length > 255 { return "a segment of the key is longer than 255 bytes" }
                start = i + 1
            }
            return percent ? .some(nil) : nil
        }
        // nil: no problem and no `%`; `.some(nil)`: no problem yet, but a `%` to look behind.
        guard let problem else { return nil }
        if let problem { return problem }
        if let decoded = encodedTraversal(key) { return "the key has an encoded '\(decoded)' segment" }
        return nil
    }

    /// A `.` or `..` segment hidden behind percent-encoding (`%2e%2e/x`, `a/%2E./b`, `%252e%252e/x`), which a
    /// proxy or a careless client would decode into a traversal: the segment as decoded, or nil.
    package static func encodedTraversal(_ key: String) -> String? {
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

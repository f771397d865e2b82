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
        let bytes = key.utf8
        if bytes.isEmpty { return "the key is empty" }
        if bytes.count > 1024 { return "the key is longer than 1024 bytes" }
        if key.hasPrefix("/") { return "the key starts with '/'" }
        if key.hasSuffix("/") { return "the key ends with '/'" }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "the key contains a control character or NUL" }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the key has an empty segment ('//')" }
            if segment == "." || segment == ".." { return "the key has a '\(segment)' segment" }
            if segment.utf8.count > 255 { return "a segment of the key is longer than 255 bytes" }
        }
        if let decoded = encodedTraversal(key) { return "the key has an encoded '\(decoded)' segment" }
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

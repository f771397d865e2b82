import Crypto
import Foundation
import RecordingsDomain

/// The pure rules of CompleteMultipartUpload: reading the part list, checking it against the stored parts, and
/// the multipart ETag.
package enum S3MultipartRules {
    /// Every part but the last must be at least this big.
    package static let minimumPartSize = 5 << 20
    package static let maximumParts = 10_000

    package struct Requested: Sendable, Equatable {
        package var number: Int
        package var etag: String

        package init(number: Int, etag: String) {
            self.number = number
            self.etag = etag
        }
    }

    /// The parts a CompleteMultipartUpload body lists (`S3RequestBodies.completeMultipartUpload`), ETags unquoted.
    package static func parseComplete(_ body: Data) -> Result<[Requested], S3BodyError> {
        S3RequestBodies.completeMultipartUpload(body).map { parts in parts.map { Requested(number: $0.number, etag: unquoted($0.etag)) } }
    }

    package static func unquoted(_ etag: String) -> String {
        etag.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
    }

    /// S3's code and message when the requested list cannot complete the upload; nil when it can.
    /// `stored` maps part numbers to (size, MD5 hex).
    package static func problem(_ requested: [Requested], stored: [Int: (size: Int, etag: String)]) -> (code: String, message: String)? {
        for (i, part) in requested.enumerated() where i > 0 && part.number <= requested[i - 1].number {
            return ("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.")
        }
        for part in requested where stored[part.number]?.etag != part.etag {
            return ("InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, "
                + "or the specified entity tag may not match the part's entity tag.")
        }
        for part in requested.dropLast() where stored[part.number]!.size < minimumPartSize {
            return ("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
        }
        return nil
    }

    /// The MD5 of the parts' binary MD5s, then `-` and the number of parts.
    package static func etag(partMD5s: [String]) -> String {
        var joined = Data()
        for hex in partMD5s { joined.append(contentsOf: bytes(hex: hex)) }
        return Digest.md5Hex(joined) + "-\(partMD5s.count)"
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = hex.utf8.makeIterator()
        while let hi = chars.next(), let lo = chars.next() {
            func value(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10 }
            out.append(value(hi) << 4 | value(lo))
        }
        return out
    }
}

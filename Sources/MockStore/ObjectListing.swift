import GRDB
import RecordingsDomain

/// ListObjectsV2 over the object index (never the disk): keys in UTF-8 binary order, as S3 lists them.
extension AppDatabase {
    package struct ObjectListing: Sendable {
        /// What a listing shows of an object (no metadata: that is HeadObject's).
        package struct Entry: Sendable {
            package var key: String
            package var size: Int
            package var etag: String
            package var lastModified: Int64
        }

        package var contents: [Entry] = []
        package var commonPrefixes: [String] = []
        package var isTruncated = false
        /// The last key or common prefix returned, and which of the two it is.
        package var nextMarker: String?
        package var nextMarkerIsPrefix = false
    }

    /// `after` is exclusive; keys under `skipUnder` (a common prefix already returned) are passed over.
    package func listObjects(_ bucket: String, prefix: String, delimiter: String, maxKeys: Int, after: String, skipUnder: String?)
        async throws -> ObjectListing
    {
        try StoreKeys.check(bucket, prefix, after)
        return try await read { db in
            var out = ObjectListing()
            var cursor = after.utf8.lexicographicallyPrecedes(prefix.utf8) ? prefix : after
            var inclusive = cursor == prefix && cursor != after
            while true {
                let statement = try db.cachedStatement(sql: """
                    SELECT key, size, etag, last_modified FROM s3_object
                    WHERE bucket = ? AND key \(inclusive ? ">=" : ">") ? ORDER BY key LIMIT 500
                    """)
                let rows = try Row.fetchCursor(statement, arguments: [bucket, cursor])
                inclusive = false
                var empty = true
                while let row = try rows.next() {
                    empty = false
                    let key: String = row[0]
                    guard key.utf8.starts(with: prefix.utf8) else { return out }
                    if let skip = skipUnder, key.utf8.starts(with: skip.utf8) { cursor = key; continue }
                    var entry = key
                    var isPrefix = false
                    if !delimiter.isEmpty, let r = key.utf8.dropFirst(prefix.utf8.count).firstRange(of: delimiter.utf8) {
                        entry = String(decoding: key.utf8[..<r.upperBound], as: UTF8.self)
                        isPrefix = true
                    }
                    if isPrefix, out.commonPrefixes.last == entry { cursor = key; continue }
                    if out.contents.count + out.commonPrefixes.count == maxKeys {
                        out.isTruncated = true
                        return out
                    }
                    if isPrefix {
                        out.commonPrefixes.append(entry)
                    } else {
                        out.contents.append(.init(key: key, size: row[1], etag: row[2], lastModified: row[3]))
                    }
                    out.nextMarker = entry
                    out.nextMarkerIsPrefix = isPrefix
                    cursor = key
                }
                if empty { return out }
            }
        }
    }
}

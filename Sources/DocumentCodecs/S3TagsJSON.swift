import RecordingsDomain

extension S3ObjectTags {
    /// Tags as the object index stores them: a JSON array of `[key, value]` pairs in the client's order; nil for none.
    public static func json(_ tags: [S3Tag]) -> String? {
        tags.isEmpty ? nil : FastJSON.string(.array(tags.map { .array([.string($0.key), .string($0.value)]) }))
    }

    /// The stored form read back; no tags for nil or anything unreadable.
    public static func fromJSON(_ text: String?) -> [S3Tag] {
        guard let text, case .array(let pairs)? = FastJSONReader.parse(text) else { return [] }
        return pairs.compactMap { pair in
            guard case .array(let kv) = pair, kv.count == 2, let k = kv[0].stringValue, let v = kv[1].stringValue else { return nil }
            return S3Tag(k, v)
        }
    }
}

import Foundation

/// One object tag (S3's object tagging): a key and a value, both case-sensitive.
public struct S3Tag: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// S3's rules for an object's tag set, and the two forms a client sends one in: the `<Tagging>` XML body of
/// PutObjectTagging and the URL-encoded `x-amz-tagging` header of PutObject, CopyObject and
/// CreateMultipartUpload. Pure functions of the client's bytes.
public enum S3ObjectTags {
    public static let maxTags = 10
    public static let maxKeyLength = 128
    public static let maxValueLength = 256

    /// `<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag>…</TagSet></Tagging>`, checked against S3's rules.
    public static func parseTagging(_ bytes: Data) -> Result<[S3Tag], S3BodyError> {
        Result { () throws(S3BodyError) -> [S3Tag] in
            let root = try S3XMLTree.parse(bytes).get()
            guard root.name == "Tagging" else { throw .malformedXML("the root element must be <Tagging>, not <\(root.name)>") }
            try leafless(root)
            guard let tagSet = try root.single("TagSet") else { throw .malformedXML("<Tagging> needs a <TagSet>") }
            try leafless(tagSet)
            var tags: [S3Tag] = []
            for tag in tagSet.children {
                guard tag.name == "Tag" else { throw .malformedXML("<TagSet> holds only <Tag> elements, not <\(tag.name)>") }
                try leafless(tag)
                guard let key = try tag.single("Key"), let value = try tag.single("Value") else {
                    throw .malformedXML("every <Tag> needs one <Key> and one <Value>")
                }
                guard key.children.isEmpty, value.children.isEmpty else { throw .malformedXML("<Key> and <Value> hold text only") }
                tags.append(S3Tag(key.text, value.text))
            }
            if let problem = problem(tags) { throw problem }
            return tags
        }
    }

    /// The `x-amz-tagging` header: `k1=v1&k2=v2`, URL-encoded (`+` is a space); an empty header is no tags.
    public static func parseHeader(_ header: String) -> Result<[S3Tag], S3BodyError> {
        let invalid = S3BodyError("InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query "
            + "parameters without tag name duplicates.")
        var tags: [S3Tag] = []
        for item in header.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String? { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let key = decode(kv[0]), let value = kv.count > 1 ? decode(kv[1]) : "" else { return .failure(invalid) }
            tags.append(S3Tag(key, value))
        }
        if Set(tags.map(\.key)).count != tags.count { return .failure(invalid) }
        if let problem = problem(tags) { return .failure(problem) }
        return .success(tags)
    }

    /// The first of S3's rules a tag set breaks (`InvalidTag`), or nil: at most 10 tags, unique keys of 1–128
    /// characters and values of at most 256, not prefixed `aws:`, without control characters.
    public static func problem(_ tags: [S3Tag]) -> S3BodyError? {
        func invalid(_ message: String) -> S3BodyError { S3BodyError("InvalidTag", message) }
        if tags.count > maxTags { return invalid("Object tags cannot be greater than \(maxTags)") }
        var seen: Set<String> = []
        for tag in tags {
            let keyLength = tag.key.unicodeScalars.count
            if keyLength == 0 || !allowed(tag.key) { return invalid("The TagKey you have provided is invalid") }
            if keyLength > maxKeyLength { return invalid("The TagKey you have provided is too long, max \(maxKeyLength)") }
            if tag.key.lowercased().hasPrefix("aws:") { return invalid("Your TagKey cannot be prefixed with aws:") }
            if !allowed(tag.value) { return invalid("The TagValue you have provided is invalid") }
            if tag.value.unicodeScalars.count > maxValueLength { return invalid("The TagValue you have provided is too long, max \(maxValueLength)") }
            if !seen.insert(tag.key).inserted { return invalid("Cannot provide multiple Tags with the same key") }
        }
        return nil
    }

    /// Any text without control characters (a NUL or a line break is never part of a tag).
    static func allowed(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// A container element holds elements, and no text but blanks.
    static func leafless(_ element: S3XMLElement) throws(S3BodyError) {
        guard element.text.allSatisfy(\.isWhitespace) else { throw .malformedXML("<\(element.name)> holds text") }
    }
}

import Foundation

/// The XML bodies of DeleteObjects, CompleteMultipartUpload, CreateBucket and PutObjectLegalHold, read through
/// `S3XMLTree`: each reader takes the element path it means (`Delete/Object/Key`, `CompleteMultipartUpload/Part/
/// PartNumber`, `LegalHold/Status`, …), so the same element nested anywhere else does not count. Namespaces are read
/// as clients send them (`xmlns="http://s3.amazonaws.com/doc/2006-03-01/"` or a prefix) and elements S3 defines but
/// the mock does not use (`VersionId`, a part's checksums) are passed over. A body that is not well-formed, has
/// another root or lacks a required element is `MalformedXML`, with the reason in the message.
public enum S3RequestBodies {
    /// DeleteObjects names up to 1,000 keys of up to 1,024 bytes, CompleteMultipartUpload up to 10,000 parts with
    /// their checksums: such a body may be far longer than a subresource's.
    public static let maxListBytes = 8 << 20

    public struct Delete: Sendable, Equatable {
        /// Leave the deleted keys out of the answer.
        public var quiet: Bool
        /// In the body's order, with blanks kept (a key may begin or end with a space).
        public var keys: [String]

        public init(quiet: Bool, keys: [String]) {
            self.quiet = quiet
            self.keys = keys
        }
    }

    /// `<Delete><Quiet>true</Quiet><Object><Key>k</Key><VersionId>v</VersionId></Object>…</Delete>`: at least one
    /// object, each with one key.
    public static func delete(_ bytes: Data) -> Result<Delete, S3BodyError> {
        Result { () throws(S3BodyError) -> Delete in
            let root = try document(bytes, root: "Delete", maxBytes: maxListBytes)
            let objects = root.all("Object")
            guard !objects.isEmpty else { throw .malformedXML("<Delete> names no <Object>") }
            var keys: [String] = []
            for object in objects {
                try S3ObjectTags.leafless(object)
                guard let key = try leaf(object, "Key") else { throw .malformedXML("every <Object> needs a <Key>") }
                keys.append(key)
            }
            let quiet = try leaf(root, "Quiet")?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "true"
            return Delete(quiet: quiet, keys: keys)
        }
    }

    /// One `<Part>` of a CompleteMultipartUpload: its number and the ETag as sent (quotes and all).
    public struct Part: Sendable, Equatable {
        public var number: Int
        public var etag: String

        public init(number: Int, etag: String) {
            self.number = number
            self.etag = etag
        }
    }

    /// `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…`: at least one part, each
    /// with one whole part number and one ETag.
    public static func completeMultipartUpload(_ bytes: Data) -> Result<[Part], S3BodyError> {
        Result { () throws(S3BodyError) -> [Part] in
            let root = try document(bytes, root: "CompleteMultipartUpload", maxBytes: maxListBytes)
            let parts = root.all("Part")
            guard !parts.isEmpty else { throw .malformedXML("<CompleteMultipartUpload> names no <Part>") }
            var out: [Part] = []
            for part in parts {
                try S3ObjectTags.leafless(part)
                guard let number = try leaf(part, "PartNumber"), let etag = try leaf(part, "ETag") else {
                    throw .malformedXML("every <Part> needs a <PartNumber> and an <ETag>")
                }
                guard let value = Int(number.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw .malformedXML("<PartNumber> must be a whole number")
                }
                out.append(Part(number: value, etag: etag))
            }
            return out
        }
    }

    /// The `LocationConstraint` of a CreateBucket body, `<CreateBucketConfiguration><LocationConstraint>eu-west-2
    /// </LocationConstraint></CreateBucketConfiguration>`; nil when the body is blank or names none (us-east-1).
    public static func locationConstraint(_ bytes: Data) -> Result<String?, S3BodyError> {
        Result { () throws(S3BodyError) -> String? in
            if String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
            let root = try document(bytes, root: "CreateBucketConfiguration")
            let constraint = try leaf(root, "LocationConstraint")?.trimmingCharacters(in: .whitespaces)
            return constraint?.isEmpty == false ? constraint : nil
        }
    }

    /// A PutObjectLegalHold body, `<LegalHold><Status>ON</Status></LegalHold>`: true for ON, false for OFF.
    public static func legalHold(_ bytes: Data) -> Result<Bool, S3BodyError> {
        Result { () throws(S3BodyError) -> Bool in
            let root = try document(bytes, root: "LegalHold")
            switch try leaf(root, "Status") {
            case "ON": return true
            case "OFF": return false
            case nil: throw .malformedXML("<LegalHold> needs a <Status>")
            default: throw .malformedXML("<Status> must be ON or OFF")
            }
        }
    }

    /// The body's root element, which must be `<root>` and hold elements only.
    static func document(_ bytes: Data, root name: String, maxBytes: Int = S3XMLTree.maxBytes) throws(S3BodyError) -> S3XMLElement {
        let root = try S3XMLTree.parse(bytes, maxBytes: maxBytes).get()
        guard root.name == name else { throw .malformedXML("the root element must be <\(name)>, not <\(root.name)>") }
        try S3ObjectTags.leafless(root)
        return root
    }

    /// The text of the one child `name` of `parent`, which must hold text only; nil when there is none.
    static func leaf(_ parent: S3XMLElement, _ name: String) throws(S3BodyError) -> String? {
        guard let element = try parent.single(name) else { return nil }
        guard element.children.isEmpty else { throw .malformedXML("<\(name)> holds text only") }
        return element.text
    }
}

import Crypto
import Foundation
import RecordingsDomain
#if canImport(Glibc)
import Glibc
#endif

/// Reads a document written by `StreamedJSON` (a manifest or custody file) line by line: its members, and its
/// long array one element at a time, so verifying a 200,000-object export needs no more memory than one line.
/// `read` answers nil when the file is not laid out that way (an older export, or a hand-edited file); the
/// caller then reads it whole.
struct StreamedDocumentReader {
    struct Document {
        /// Every member but the array, as raw JSON values.
        var members: [String: Data] = [:]
        /// SHA-256 of the file's bytes, as read.
        var sha256 = ""
    }

    let path: String
    let arrayName: String

    /// Calls `element` with each array element's JSON, in order. Throws what `element` throws.
    func read(_ element: (Data) throws -> Void) throws -> Document? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var hasher = SHA256()
        var doc = Document()
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        enum Part { case start, members, array, trailing, end }
        var part = Part.start
        let arrayOpening = "  \"\(arrayName)\": ["
        let closing = Array("  ]".utf8), closingComma = Array("  ],".utf8), elementStart = Array("    {".utf8)
        while true {
            let n = getline(&line, &capacity, file)
            if n < 0 { break }
            let raw = UnsafeRawBufferPointer(start: line, count: n)
            hasher.update(bufferPointer: raw)
            let bytes = raw.last == UInt8(ascii: "\n") ? UnsafeRawBufferPointer(rebasing: raw.dropLast()) : raw
            if part == .array {
                // The long array stays in bytes: one element per line, handed on without a String in between.
                if bytes.elementsEqual(closing) || bytes.elementsEqual(closingComma) {
                    part = bytes.count == closing.count ? .end : .trailing
                    continue
                }
                var json = bytes.dropFirst(4)
                if json.last == UInt8(ascii: ",") { json = json.dropLast() }
                // One whole object per line, or this is another layout (pretty-printed over several lines).
                guard bytes.starts(with: elementStart), json.count > 1, json.last == UInt8(ascii: "}") else { return nil }
                try element(Data(json))
                continue
            }
            let text = String(decoding: bytes, as: UTF8.self)
            switch part {
            case .start:
                guard text == "{" else { return nil }
                part = .members
            case .members:
                if text == arrayOpening { part = .array; continue }
                guard let (name, value) = Self.member(text) else { return nil }
                doc.members[name] = value
            case .array:
                break
            case .trailing:
                if text == "}" { part = .end; continue }
                guard let (name, value) = Self.member(text) else { return nil }
                doc.members[name] = value
            case .end:
                guard text.isEmpty || text == "}" else { return nil }
            }
        }
        guard part == .end else { return nil }
        doc.sha256 = Digest.hex(hasher.finalize())
        return doc
    }

    /// `  "name": value,` → (name, value).
    static func member(_ line: String) -> (String, Data)? {
        guard line.hasPrefix("  \""), let colon = line.range(of: "\": ") else { return nil }
        let name = String(line[line.index(line.startIndex, offsetBy: 3)..<colon.lowerBound])
        var value = Substring(line[colon.upperBound...])
        if value.hasSuffix(",") { value = value.dropLast() }
        return (name, Data(value.utf8))
    }
}

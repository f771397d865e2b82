import Crypto
import Foundation
import DocumentCodecs
import RecordingsDomain
#if canImport(Glibc)
import Glibc
#endif

/// Reads a document written by `StreamedJSON` (a manifest or custody file) line by line: its members, and its
/// long array one element at a time, so verifying a 200,000-object export needs no more memory than one line.
/// It is resumable (`step`), so a caller can take the array a batch at a time; it answers `.otherLayout` when
/// the file is not laid out that way (an older export, or a hand-edited file), and the caller then reads it whole.
/// Not thread-safe: one task uses it at a time (each batch read on a blocking-IO thread, one after another).
final class StreamedDocumentReader: @unchecked Sendable {
    struct Document: Sendable {
        /// Every member but the array, as raw JSON values.
        var members: [String: Data] = [:]
        /// SHA-256 of the file's bytes, as read.
        var sha256 = ""
    }

    enum Step {
        /// The next array element's JSON.
        case element(Data)
        /// The whole file was read as laid out; its members and SHA-256.
        case end(Document)
        /// Not a streamed document (or not readable): read it whole instead.
        case otherLayout
    }

    private enum Part { case start, members, array, trailing, end }

    let path: String
    let arrayName: String
    private var file: UnsafeMutablePointer<FILE>?
    private var opened = false
    private var finished: Step?
    private var hasher = SHA256()
    private var doc = Document()
    private var part = Part.start
    private var line: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    private let arrayOpening: String
    private let closing = Array("  ]".utf8), closingComma = Array("  ],".utf8), elementStart = Array("    {".utf8)

    init(path: String, arrayName: String) {
        self.path = path
        self.arrayName = arrayName
        arrayOpening = "  \"\(arrayName)\": ["
    }

    deinit {
        if let file { fclose(file) }
        free(line)
    }

    /// Calls `element` with each array element's JSON, in order; nil when the file is laid out otherwise.
    /// Throws what `element` throws.
    func read(_ element: (Data) throws -> Void) throws -> Document? {
        while true {
            switch step() {
            case .element(let json): try element(json)
            case .end(let doc): return doc
            case .otherLayout: return nil
            }
        }
    }

    /// Up to `count` elements, each parsed by `parse`; fewer (maybe none) at the end of the array or of the layout.
    func next<T>(_ count: Int, _ parse: (Data) throws -> T) throws -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        while out.count < count, case .element(let json) = step() { out.append(try parse(json)) }
        return out
    }

    /// Reads on to the next array element, or to the end of the file.
    func step() -> Step {
        if let finished { return finished }
        if !opened {
            opened = true
            file = fopen(path, "r")
        }
        guard let file else { return finish(.otherLayout) }
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
                guard bytes.starts(with: elementStart), json.count > 1, json.last == UInt8(ascii: "}") else { return finish(.otherLayout) }
                return .element(Data(json))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            switch part {
            case .start:
                guard text == "{" else { return finish(.otherLayout) }
                part = .members
            case .members:
                if text == arrayOpening { part = .array; continue }
                guard let (name, value) = Self.member(text) else { return finish(.otherLayout) }
                doc.members[name] = value
            case .array:
                break
            case .trailing:
                if text == "}" { part = .end; continue }
                guard let (name, value) = Self.member(text) else { return finish(.otherLayout) }
                doc.members[name] = value
            case .end:
                guard text.isEmpty || text == "}" else { return finish(.otherLayout) }
            }
        }
        guard part == .end else { return finish(.otherLayout) }
        doc.sha256 = Digest.hex(hasher.finalize())
        return finish(.end(doc))
    }

    private func finish(_ step: Step) -> Step {
        finished = step
        if let file { fclose(file) }
        file = nil
        return step
    }

    /// `  "name": value,` → (name, value).
    static func member(_ line: String) -> (String, Data)? {
        guard line.hasPrefix("  \"") else { return nil }
        let nameStart = line.index(line.startIndex, offsetBy: 3)
        guard let colon = line.range(of: "\": ", range: nameStart..<line.endIndex) else { return nil }
        let name = String(line[nameStart..<colon.lowerBound])
        var value = Substring(line[colon.upperBound...])
        if value.hasSuffix(",") { value = value.dropLast() }
        return (name, Data(value.utf8))
    }
}

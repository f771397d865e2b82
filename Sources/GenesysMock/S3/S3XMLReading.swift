import Foundation

/// Reads the small, flat XML documents S3 clients send (DeleteObjects, CompleteMultipartUpload,
/// CreateBucketConfiguration): the text of named elements, in order, with XML's entities decoded. Namespaces
/// and attributes are ignored; a document that does not nest as expected yields nil.
package enum S3XMLReading {
    /// The inner text of each `<name>…</name>` (or `<ns:name …>`) inside `xml`, in document order; nil when an
    /// element is opened and never closed.
    package static func elements(_ name: String, in xml: Substring) -> [Substring]? {
        var out: [Substring] = []
        var rest = xml[...]
        while let open = openTag(name, in: rest) {
            if open.selfClosing {
                out.append(rest[open.end..<open.end])
                rest = rest[open.end...]
                continue
            }
            guard let close = rest[open.end...].range(of: "</\(open.qualified)>") else { return nil }
            out.append(rest[open.end..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// The decoded text of the first `<name>` element, or nil.
    package static func text(_ name: String, in xml: Substring) -> String? {
        elements(name, in: xml)?.first.flatMap { unescape($0) }
    }

    private static func openTag(_ name: String, in text: Substring) -> (end: Substring.Index, qualified: String, selfClosing: Bool)? {
        var search = text[...]
        while let lt = search.firstIndex(of: "<") {
            let after = search[search.index(after: lt)...]
            guard let gt = after.firstIndex(of: ">") else { return nil }
            let inside = after[..<gt]
            let selfClosing = inside.hasSuffix("/")
            let tagName = inside.prefix { $0 != " " && $0 != "/" && $0 != "\t" && $0 != "\n" && $0 != "\r" }
            let local = tagName.split(separator: ":").last.map(String.init) ?? ""
            if local == name, !tagName.hasPrefix("/"), !tagName.hasPrefix("?"), !tagName.hasPrefix("!") {
                return (after.index(after: gt), String(tagName), selfClosing)
            }
            search = after[after.index(after: gt)...]
        }
        return nil
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#N;` `&#xH;`, and a CDATA section; nil for a malformed reference.
    /// Blanks are kept (a key may begin or end with a space).
    package static func unescape(_ text: Substring) -> String? {
        var s = String(text)
        if s.hasPrefix("<![CDATA["), s.hasSuffix("]]>") { return String(s.dropFirst(9).dropLast(3)) }
        guard s.contains("&") else { return s }
        var out = ""
        while let amp = s.firstIndex(of: "&") {
            out += s[..<amp]
            guard let semi = s[amp...].firstIndex(of: ";") else { return nil }
            let entity = s[s.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let hex = entity.hasPrefix("#x") || entity.hasPrefix("#X")
                guard entity.hasPrefix("#"), let value = UInt32(entity.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10),
                      let scalar = Unicode.Scalar(value) else { return nil }
                out.unicodeScalars.append(scalar)
            }
            s = String(s[s.index(after: semi)...])
        }
        return out + s
    }
}

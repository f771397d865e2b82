/// The one identifier rule every surface applies at its edge (CONTRACT §17): a NUL or any other control
/// character never names a resource. SQLite receives Swift strings as C strings, which end at the first NUL, so
/// `job-1\u{0}junk` would otherwise find `job-1`; the rule refuses such input whole — never cut short, never
/// stripped.
///
/// Control characters are C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F), as `NameRules` counts them.
public enum IdentifierRule {
    /// Whether `s` holds no control character (what every identifier must satisfy).
    @inlinable
    public static func isClean(_ s: some StringProtocol) -> Bool {
        firstControl(in: s.utf8) == nil
    }

    /// The first control character in UTF-8 `bytes`, as its scalar value, or nil. C1 characters are the
    /// two-byte sequences `C2 80`…`C2 9F`.
    @inlinable
    public static func firstControl(in bytes: some Sequence<UInt8>) -> UInt32? {
        var afterC2 = false
        for b in bytes {
            if b < 0x20 || b == 0x7F { return UInt32(b) }
            if afterC2, (0x80...0x9F).contains(b) { return UInt32(b) }
            afterC2 = b == 0xC2
        }
        return nil
    }

    /// The first control character in a URI's path and query once percent-decoded (`%00`, `%0a`, `%7F`,
    /// `%C2%85` …), or in its raw bytes. `+` is a space in a query and so never a control character. A
    /// malformed escape (`%zz`) is left to the route: it names no control character.
    public static func firstControl(inPercentEncoded uri: some Collection<UInt8>) -> UInt32? {
        var afterC2 = false
        var i = uri.startIndex
        while i != uri.endIndex {
            var b = uri[i]
            i = uri.index(after: i)
            if b == 0x25, let (value, next) = decodedByte(uri, from: i) {
                b = value
                i = next
            }
            if b < 0x20 || b == 0x7F { return UInt32(b) }
            if afterC2, (0x80...0x9F).contains(b) { return UInt32(b) }
            afterC2 = b == 0xC2
        }
        return nil
    }

    /// What a client is told when a JSON body's field holds a forbidden control character.
    public static func message(field: String, scalar: UInt32) -> String {
        "\(field) holds the control character \(describe(scalar)); identifiers may hold none, and text only tabs and line breaks"
    }

    /// Text for an error message: `U+0000`.
    public static func describe(_ scalar: UInt32) -> String {
        let hex = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func decodedByte<C: Collection<UInt8>>(_ uri: C, from i: C.Index) -> (UInt8, C.Index)? {
        guard i != uri.endIndex else { return nil }
        let j = uri.index(after: i)
        guard j != uri.endIndex, let high = hex(uri[i]), let low = hex(uri[j]) else { return nil }
        return (high << 4 | low, uri.index(after: j))
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

extension JSONValue {
    /// The path of the first string in this document — a member name or a value — that no request may carry:
    /// one holding a NUL, DEL, a C1 control or a C0 control other than tab, line feed and carriage return
    /// (free text such as a hold's description may span lines). Members that name things (`id`, `…Id`,
    /// `…Ids`, `…_id`, `…Name`, `name`, `region`, `prefix`, `bucket`, `key`) may hold no control character
    /// at all. Returns the field's dotted path (`legal_hold.case_id`, `conversationIds[2]`) and the character.
    public func forbiddenControl(path: String = "") -> (field: String, scalar: UInt32)? {
        forbiddenControl(path: path, identifier: false)
    }

    private func forbiddenControl(path: String, identifier: Bool) -> (field: String, scalar: UInt32)? {
        switch self {
        case .string(let s):
            guard let c = IdentifierRule.firstControl(in: s.utf8) else { return nil }
            let field = path.isEmpty ? "body" : path
            if identifier || !(c == 0x09 || c == 0x0A || c == 0x0D) { return (field, c) }
            // A tab or line break in free text: look further for a control that is never allowed.
            for scalar in s.unicodeScalars {
                let v = scalar.value
                if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v) { return (field, v) }
            }
            return nil
        case .array(let items):
            for (n, item) in items.enumerated() {
                if let hit = item.forbiddenControl(path: "\(path)[\(n)]", identifier: identifier) { return hit }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let field = path.isEmpty ? key : "\(path).\(key)"
                if let c = IdentifierRule.firstControl(in: key.utf8) { return (field, c) }
                if let hit = members[key]!.forbiddenControl(path: field, identifier: Self.namesSomething(key)) { return hit }
            }
            return nil
        default:
            return nil
        }
    }

    static func namesSomething(_ key: String) -> Bool {
        key == "id" || key == "name" || key == "region" || key == "prefix" || key == "bucket" || key == "key"
            || key.hasSuffix("Id") || key.hasSuffix("Ids") || key.hasSuffix("_id") || key.hasSuffix("Name")
    }
}

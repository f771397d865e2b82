import Foundation
import RecordingsDomain

/// The writer of `JSONValue` documents the mock stores or hashes (audit records, object metadata and tags, the
/// console's pretty view): `CanonicalJSON`'s bytes, written by hand: the same bytes as `JSONEncoder` with sorted
/// keys (by UTF-8 bytes), unescaped slashes and, when `pretty`, its pretty-printing (two spaces, `" : "`, empty
/// containers as two newlines). Its string escaping is the one every hand-written writer here shares. Tests
/// compare the bytes with JSONEncoder's.
public enum FastJSON {
    public static func data(_ value: JSONValue, pretty: Bool = false) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out, pretty: pretty, indent: 0)
        return Data(out)
    }

    public static func string(_ value: JSONValue, pretty: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): out += ((try? CanonicalJSON.data(d)) ?? Data("0".utf8))
        case .string(let s): string(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            if pretty {
                if items.isEmpty { out.append(0x0A) }
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    newline(&out, indent + 2)
                    write(item, into: &out, pretty: true, indent: indent + 2)
                }
                newline(&out, indent)
            } else {
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    write(item, into: &out, pretty: false, indent: 0)
                }
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            if pretty {
                if sorted.isEmpty { out.append(0x0A) }
                for (i, (key, item)) in sorted.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    newline(&out, indent + 2)
                    string(key, into: &out)
                    out += " : ".utf8
                    write(item, into: &out, pretty: true, indent: indent + 2)
                }
                newline(&out, indent)
            } else {
                for (i, (key, item)) in sorted.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    string(key, into: &out)
                    out.append(0x3A)
                    write(item, into: &out, pretty: false, indent: 0)
                }
            }
            out.append(0x7D)
        }
    }

    static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
    }

    /// A string as JSONEncoder writes it: `"` and `\` escaped, control characters as `\b \f \n \r \t` or
    /// `\u00xx`, everything else (slashes, DEL, non-ASCII) as UTF-8.
    public static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal, escaped exactly as `JSONEncoder` (without escaping slashes) does. Runs of bytes that
    /// need no escape (nearly all of a transcript) are copied at once.
    public static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x08: out += [0x5C, 0x62]
                case 0x0C: out += [0x5C, 0x66]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                default: out += [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]]
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(0x22)
    }
}

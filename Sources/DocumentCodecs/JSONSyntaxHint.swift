import Foundation

/// Where a body that is not JSON goes wrong, in words a trainee can act on: the line and column of the first byte a
/// JSON reader cannot take, and what that is, naming typographic quotes (“legal_hold”), which a payload pasted from
/// a forum post, a chat or a word processor often has. The API keeps the platform's own answer ("The request body is
/// not valid JSON"); `genesys-mock validate` and the console's journal add this.
public enum JSONSyntaxHint {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based; the column counts characters (Unicode scalars), not bytes.
        public var line: Int
        public var column: Int
        public var what: String

        public var description: String { "line \(line), column \(column): \(what)" }
    }

    static let typographicQuotes: Set<UInt32> = [0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x2018, 0x2019, 0x201A, 0x201B, 0x2032,
                                                  0x00AB, 0x00BB, 0xFF02]
    static let maxDepth = 512

    /// The first problem of `bytes` as JSON, or nil when they are one valid JSON value.
    public static func problem(in bytes: [UInt8]) -> Problem? {
        var scanner = Scanner(bytes: bytes)
        let failure: Scanner.Failure
        do {
            scanner.skipBlanks()
            try scanner.value(depth: 0)
            scanner.skipBlanks()
            guard scanner.at == bytes.count else { throw Scanner.Failure(offset: scanner.at, expected: "nothing more after the JSON value") }
            return nil
        } catch let f as Scanner.Failure {
            failure = f
        } catch {
            return nil
        }
        return locate(bytes, failure)
    }

    static func locate(_ bytes: [UInt8], _ failure: Scanner.Failure) -> Problem {
        let before = String(decoding: bytes[..<min(failure.offset, bytes.count)], as: UTF8.self)
        var line = 1, column = 1
        for scalar in before.unicodeScalars {
            if scalar == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
        }
        guard failure.offset < bytes.count else {
            return Problem(line: line, column: column, what: "the body ends where \(failure.expected) should be (a missing } or ]?)")
        }
        let rest = String(decoding: bytes[failure.offset...].prefix(4), as: UTF8.self)
        guard let scalar = rest.unicodeScalars.first else {
            return Problem(line: line, column: column, what: "a byte that is not UTF-8 where \(failure.expected) should be")
        }
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        if typographicQuotes.contains(scalar.value) {
            return Problem(line: line, column: column, what: "\(Character(scalar)) (\(code)) is a typographic quote; JSON takes only straight "
                               + "double quotes (\") around names and strings. Text pasted from a web page, a chat or a word processor "
                               + "often has them: replace each “ ” ‘ ’ with \"")
        }
        if scalar == "'" {
            return Problem(line: line, column: column, what: "' is a single quote; JSON takes only double quotes (\") around names and strings")
        }
        let shown = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? code : "'\(Character(scalar))' (\(code))"
        return Problem(line: line, column: column, what: "\(shown) where \(failure.expected) should be")
    }

    /// A validating scan of RFC 8259 JSON that stops at the first byte it cannot take.
    struct Scanner {
        struct Failure: Error {
            var offset: Int
            var expected: String
        }

        let bytes: [UInt8]
        var at = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func skipBlanks() {
            while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { at += 1 }
        }

        func fail(_ expected: String) -> Failure { Failure(offset: at, expected: expected) }

        mutating func value(depth: Int) throws {
            guard depth < JSONSyntaxHint.maxDepth else { throw fail("a value nested less than \(JSONSyntaxHint.maxDepth) deep") }
            switch current {
            case UInt8(ascii: "{")?: try object(depth: depth)
            case UInt8(ascii: "[")?: try array(depth: depth)
            case UInt8(ascii: "\"")?: try string()
            case UInt8(ascii: "t")?: try literal("true")
            case UInt8(ascii: "f")?: try literal("false")
            case UInt8(ascii: "n")?: try literal("null")
            case let b? where b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b): try number()
            default: throw fail("a value")
            }
        }

        mutating func object(depth: Int) throws {
            at += 1
            skipBlanks()
            if current == UInt8(ascii: "}") { at += 1; return }
            while true {
                guard current == UInt8(ascii: "\"") else { throw fail("a name in double quotes") }
                try string()
                skipBlanks()
                guard current == UInt8(ascii: ":") else { throw fail("':' after the name") }
                at += 1
                skipBlanks()
                try value(depth: depth + 1)
                skipBlanks()
                if current == UInt8(ascii: ",") { at += 1; skipBlanks(); continue }
                guard current == UInt8(ascii: "}") else { throw fail("',' or '}'") }
                at += 1
                return
            }
        }

        mutating func array(depth: Int) throws {
            at += 1
            skipBlanks()
            if current == UInt8(ascii: "]") { at += 1; return }
            while true {
                try value(depth: depth + 1)
                skipBlanks()
                if current == UInt8(ascii: ",") { at += 1; skipBlanks(); continue }
                guard current == UInt8(ascii: "]") else { throw fail("',' or ']'") }
                at += 1
                return
            }
        }

        mutating func string() throws {
            at += 1
            while let b = current {
                switch b {
                case UInt8(ascii: "\""): at += 1; return
                case UInt8(ascii: "\\"):
                    at += 1
                    guard let e = current else { throw fail("an escaped character") }
                    if e == UInt8(ascii: "u") {
                        at += 1
                        for _ in 0..<4 {
                            guard let h = current, h.isHexDigit else { throw fail("four hex digits after \\u") }
                            at += 1
                        }
                    } else {
                        guard Array(#""\/bfnrt"#.utf8).contains(e) else { throw fail("an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u)") }
                        at += 1
                    }
                case 0..<0x20: throw fail("the string's closing \" (a raw control character or line break inside a string)")
                default:
                    let width = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
                    guard width > 0, at + width <= bytes.count,
                          String(validating: bytes[at..<(at + width)], as: UTF8.self) != nil else { throw fail("UTF-8 text") }
                    at += width
                }
            }
            throw fail("the string's closing \"")
        }

        mutating func literal(_ word: String) throws {
            for expected in word.utf8 {
                guard current == expected else { throw fail(word) }
                at += 1
            }
        }

        mutating func number() throws {
            if current == UInt8(ascii: "-") { at += 1 }
            guard let first = current, first.isDigit else { throw fail("a digit") }
            at += 1
            if first != UInt8(ascii: "0") { while current?.isDigit == true { at += 1 } }
            if current == UInt8(ascii: ".") {
                at += 1
                guard current?.isDigit == true else { throw fail("a digit after the decimal point") }
                while current?.isDigit == true { at += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                at += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { at += 1 }
                guard current?.isDigit == true else { throw fail("a digit in the exponent") }
                while current?.isDigit == true { at += 1 }
            }
        }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    fileprivate var isHexDigit: Bool {
        isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}

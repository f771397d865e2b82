import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The reader builds its strings without `String(validating:)`; it must still refuse bytes that are not UTF-8.
@Suite struct FastJSONReaderUTF8Tests {
    static func text(_ bytes: [UInt8]) -> JSONValue? { FastJSONReader.parse(bytes) }

    @Test func multiByteTextReadsAsItsCharacters() {
        let json = #"{"a":"caf\u00e9 – 🙃","b":"x\"y – é"}"#
        #expect(Self.text(Array(json.utf8)) == .object(["a": .string("café – 🙃"), "b": .string("x\"y – é")]))
    }

    @Test(arguments: [
        [0xFF],                  // never a UTF-8 byte
        [0xC3],                  // a lead byte with no continuation
        [0xE2, 0x80],            // a three-byte sequence cut short
        [0xC0, 0xAF],            // an overlong '/'
        [0xED, 0xA0, 0x80],      // a UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        [0xBF],                  // a lone continuation byte
    ] as [[UInt8]])
    func invalidBytesInAStringAreRefused(bad: [UInt8]) {
        let plain = Array(#"{"a":"ok "#.utf8) + bad + Array(#" ok"}"#.utf8)
        #expect(Self.text(plain) == nil)
        let escaped = Array(#"{"a":"\n"#.utf8) + bad + Array(#"\t"}"#.utf8)  // the slower path, after an escape
        #expect(Self.text(escaped) == nil)
    }

    @Test func aReplacementCharacterThatWasSentIsKept() {
        let bytes = Array(#"{"a":""#.utf8) + [0xEF, 0xBF, 0xBD] + Array(#""}"#.utf8)
        #expect(Self.text(bytes) == .object(["a": .string("\u{FFFD}")]))
    }
}

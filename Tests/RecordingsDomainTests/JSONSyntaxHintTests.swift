import Foundation
import DocumentCodecs
import Testing

/// Where a body that is not JSON goes wrong: line, column and what, with typographic quotes named.
@Suite struct JSONSyntaxHintTests {
    func problem(_ text: String) -> JSONSyntaxHint.Problem? { JSONSyntaxHint.problem(in: Array(text.utf8)) }

    @Test func validJSONHasNoProblem() {
        for text in [#"{}"#, #" [1, -2.5e+3, true, false, null, "a\"\u00e9\n"] "#, #"{"a": {"b": [{}]}, "c": "“quoted” inside"}"#, "0", "\"\""] {
            #expect(problem(text) == nil, "\(text)")
        }
    }

    @Test func typographicAndSingleQuotesAreNamed() throws {
        let curly = try #require(problem("{\n  “legal_hold”: {}\n}"))
        #expect((curly.line, curly.column) == (2, 3))
        #expect(curly.what.hasPrefix("“ (U+201C) is a typographic quote"))
        let closing = try #require(problem(#"{"reason": ”Discovery”}"#))
        #expect(closing.column == 12 && closing.what.hasPrefix("” (U+201D)"))
        #expect(try #require(problem("{'a': 1}")).what.hasPrefix("' is a single quote"))
    }

    @Test func otherMistakesSayWhatWasExpected() throws {
        #expect(problem(#"{"a": 1,}"#)?.description == "line 1, column 9: '}' (U+007D) where a name in double quotes should be")
        #expect(problem(#"{"a" 1}"#)?.what.contains("':' after the name") == true)
        #expect(problem("[1, 2")?.what.hasPrefix("the body ends where") == true)
        #expect(problem("{\"a\": \"x\ny\"}")?.what.contains("raw control character") == true)
        #expect(problem("[01]")?.what.contains("',' or ']'") == true)
        #expect(problem("{} {}")?.what.contains("nothing more") == true)
        #expect(problem("")?.what.hasPrefix("the body ends") == true)
        #expect(problem(String(repeating: "[", count: 10_000)) != nil, "deep nesting is a problem, not a crash")
        #expect(JSONSyntaxHint.problem(in: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])?.what.contains("UTF-8") == true)
    }
}

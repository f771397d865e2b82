import Foundation
import Testing

@testable import GenesysMock

/// The console shows a JSON object (a manifest, a custody file, a transcript) laid out for reading: the same value,
/// keys sorted, two-space indents, slashes as they are.
@Suite struct ConsolePrettyJSONTests {
    @Test func aManifestIsLaidOutAsTheSameValue() throws {
        let text = #"{"objects":[{"key":"a/b/c.json","size":12,"sha256":"ab"},{"key":"caf\u00e9 – 🙃","size":0.5}],"bucket":"x","counts":{"objects":2},"empty":[],"none":null,"held":true}"#
        let shown = try #require(Console.prettyJSON(Data(text.utf8)))
        let again = try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? NSDictionary
        let original = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        #expect(again == original)
        #expect(shown.hasPrefix("{\n  \"bucket\" : \"x\",\n  \"counts\" : {\n    \"objects\" : 2\n  },"))
        #expect(shown.contains(#""key" : "a/b/c.json""#), "slashes are not escaped")
    }

    @Test(arguments: ["plain text", "42", "\"a string\"", "{\"cut\": ", ""])
    func anythingButAnObjectOrArrayIsShownAsIs(text: String) {
        #expect(Console.prettyJSON(Data(text.utf8)) == nil)
    }

    @Test func shownTextIsEscapedForHTMLByteByByte() {
        #expect(ConsoleHTML.escape(#"<script>alert("x" & 'y')</script>"#)
            == "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        #expect(ConsoleHTML.escape("") == "")
        #expect(ConsoleHTML.escape("café – 🙃 plain") == "café – 🙃 plain")
        #expect(ConsoleHTML.escape("<é>&") == "&lt;é&gt;&amp;", "entities at both ends and around a multi-byte letter")
        // The same as escaping Character by Character, as Mustache's {{…}} does, on mixed text.
        let entities: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]
        let alphabet = Array("ab <>&\"'é🙃\n{}")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let text = String((0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            #expect(ConsoleHTML.escape(text) == text.map { entities[$0] ?? String($0) }.joined(), "\(text)")
        }
    }
}

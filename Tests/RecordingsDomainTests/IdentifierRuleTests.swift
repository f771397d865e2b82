import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The identifier rule (CONTRACT §17) on its own: what counts as a control character, raw or percent-encoded.
@Suite struct IdentifierRuleTests {
    @Test func controlCharactersRawAndEncoded() {
        #expect(IdentifierRule.isClean("LH-2023-001"))
        #expect(IdentifierRule.isClean("日本語 – emoji 🙂 and ÿ"))
        for dirty in ["a\u{0}b", "a\u{1F}", "\u{7F}", "tab\there", "nl\n", "c1\u{85}", "c1\u{9F}"] {
            #expect(!IdentifierRule.isClean(dirty), "\(dirty.unicodeScalars.map(\.value))")
        }
        func encoded(_ s: String) -> UInt32? { IdentifierRule.firstControl(inPercentEncoded: Array(s.utf8)) }
        #expect(encoded("/api/v2/recordings/exports/abc") == nil)
        #expect(encoded("/x?q=a+b&c=%20%2F%C3%A9") == nil)
        #expect(encoded("/x%00junk") == 0)
        #expect(encoded("/x%0a") == 0x0A)
        #expect(encoded("/x?y=%7F") == 0x7F)
        #expect(encoded("/x%c2%85") == 0x85)
        #expect(encoded("/x%C2%A0") == nil, "U+00A0 is a space, not a control")
        #expect(encoded("/x%zz%0") == nil, "a malformed escape names no control character")
        #expect(encoded("/x%2500") == nil, "%25 is a percent sign: %2500 is the text %00")
        #expect(IdentifierRule.describe(0) == "U+0000" && IdentifierRule.describe(0x85) == "U+0085")
    }

    @Test func jsonBodiesAllowLineBreaksInTextButNotInNames() throws {
        let text = try #require(JSONValue.parse(Data(#"{"description": "a\nb\tc", "conversationIds": ["x", "y"]}"#.utf8)))
        #expect(text.forbiddenControl() == nil)
        let nulInText = try #require(JSONValue.parse(Data(#"{"description": "a\u0000b"}"#.utf8)))
        #expect(nulInText.forbiddenControl()?.field == "description")
        let lineInId = try #require(JSONValue.parse(Data(#"{"legal_hold": {"case_id": "LH\n"}}"#.utf8)))
        #expect(lineInId.forbiddenControl()?.field == "legal_hold.case_id")
        let inList = try #require(JSONValue.parse(Data(#"{"filter": {"conversationIds": ["ok", "no\u0001"]}}"#.utf8)))
        #expect(inList.forbiddenControl()?.field == "filter.conversationIds[1]")
        #expect(inList.forbiddenControl()?.scalar == 1)
        // Found by the `edges` fuzz target: free text under an empty member name was reported with no field at all.
        let emptyName = try #require(JSONValue.parse(Data(#"{"": "h2C \n\u0000b"}"#.utf8)))
        #expect(emptyName.forbiddenControl()?.field == "body")
        #expect(emptyName.forbiddenControl()?.scalar == 0)
        let inKey = try #require(JSONValue.parse(Data(#"{"k\u0000": 1}"#.utf8)))
        #expect(inKey.forbiddenControl()?.scalar == 0)
    }

    @Test func theValidatorNamesTheField() throws {
        let json = try #require(JSONValue.parse(Data(#"{"storage": {"destinationType": "s3", "bucketName": "b\u0000x", "region": "us-east-1"}, "filter": {"mediaTypes": ["whatsapp"]}}"#.utf8)))
        guard case .failure(let failure) = ExportRequestValidator.validate(json) else { Issue.record("accepted"); return }
        #expect(failure.details.map(\.fieldName) == ["storage.bucketName"])
        #expect(failure.details.first?.message.contains("U+0000") == true)
    }
}

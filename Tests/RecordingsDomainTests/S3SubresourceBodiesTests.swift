import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The XML bodies and headers of S3's tagging, retention and ACL calls, read by a real XML parser, and S3's rules.
@Suite("S3 sub-resource bodies")
struct S3SubresourceBodiesTests {
    func data(_ s: String) -> Data { Data(s.utf8) }

    func tagging(_ tags: String) -> Data {
        data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>\(tags)</TagSet></Tagging>")
    }

    @Test func taggingAsBoto3SendsItIsRead() throws {
        let tags = try S3ObjectTags.parseTagging(tagging("<Tag><Key>case</Key><Value>LH-2023-001</Value></Tag>"
            + "<Tag><Key>a &amp; b</Key><Value><![CDATA[x/y = z]]></Value></Tag><Tag><Key>empty</Key><Value></Value></Tag>")).get()
        #expect(tags == [S3Tag("case", "LH-2023-001"), S3Tag("a & b", "x/y = z"), S3Tag("empty", "")])
        #expect(try S3ObjectTags.parseTagging(tagging("")).get() == [])
    }

    @Test func nestingIsHonouredNotSearched() {
        // A <Key> inside some other element is not the tag's key; a tag without its own Key/Value is malformed.
        #expect(code(S3ObjectTags.parseTagging(tagging("<Tag><Wrapper><Key>k</Key><Value>v</Value></Wrapper></Tag>"))) == "MalformedXML")
        #expect(code(S3ObjectTags.parseTagging(tagging("<Tag><Key>k</Key><Key>k2</Key><Value>v</Value></Tag>"))) == "MalformedXML")
        #expect(code(S3ObjectTags.parseTagging(tagging("<Tag><Key><b>k</b></Key><Value>v</Value></Tag>"))) == "MalformedXML")
        #expect(code(S3ObjectTags.parseTagging(data("<Tagging><Tag><Key>k</Key><Value>v</Value></Tag></Tagging>"))) == "MalformedXML")
        #expect(code(S3ObjectTags.parseTagging(data("<Retention/>"))) == "MalformedXML")
    }

    @Test(arguments: ["", "not xml", "<Tagging><TagSet>", "<Tagging></TagSet></Tagging>", "<Tagging/><Tagging/>",
                      "<Tagging><TagSet/></Tagging>trailing", "<Tagging><TagSet><Tag><Key>&bogus;</Key><Value/></Tag></TagSet></Tagging>",
                      "<!DOCTYPE t [<!ENTITY e \"x\">]><Tagging><TagSet><Tag><Key>&e;</Key><Value/></Tag></TagSet></Tagging>",
                      "<!DOCTYPE t SYSTEM \"file:///etc/passwd\"><Tagging/>",
                      "<Tagging>text<TagSet/></Tagging>"])
    func malformedBodiesAreMalformedXML(_ body: String) {
        #expect(code(S3ObjectTags.parseTagging(data(body))) == "MalformedXML")
    }

    @Test func depthAndSizeAreBounded() {
        let deep = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
        #expect(code(S3XMLTree.parse(data(deep))) == "MalformedXML")
        let big = "<Tagging>" + String(repeating: " ", count: S3XMLTree.maxBytes) + "</Tagging>"
        #expect(code(S3XMLTree.parse(data(big))) == "MalformedXML")
    }

    @Test func s3sTagRulesGiveInvalidTag() {
        let eleven = (1...11).map { "<Tag><Key>k\($0)</Key><Value>v</Value></Tag>" }.joined()
        #expect(code(S3ObjectTags.parseTagging(tagging(eleven))) == "InvalidTag")
        let ten = (1...10).map { "<Tag><Key>k\($0)</Key><Value>v</Value></Tag>" }.joined()
        #expect((try? S3ObjectTags.parseTagging(tagging(ten)).get())?.count == 10)
        let long = String(repeating: "k", count: 129), okKey = String(repeating: "é", count: 128)
        #expect(code(S3ObjectTags.parseTagging(tagging("<Tag><Key>\(long)</Key><Value>v</Value></Tag>"))) == "InvalidTag")
        #expect(S3ObjectTags.problem([S3Tag(okKey, String(repeating: "v", count: 256))]) == nil)
        #expect(S3ObjectTags.problem([S3Tag("k", String(repeating: "v", count: 257))])?.code == "InvalidTag")
        #expect(S3ObjectTags.problem([S3Tag("k", "1"), S3Tag("k", "2")])?.message == "Cannot provide multiple Tags with the same key")
        #expect(S3ObjectTags.problem([S3Tag("", "v")])?.code == "InvalidTag")
        #expect(S3ObjectTags.problem([S3Tag("aws:x", "v")])?.code == "InvalidTag")
        #expect(S3ObjectTags.problem([S3Tag("k\u{1}", "v")])?.code == "InvalidTag")
        #expect(S3ObjectTags.problem([S3Tag("k", "v\u{0}")])?.code == "InvalidTag")
        #expect(S3ObjectTags.problem([S3Tag("k\n", "v")])?.code == "InvalidTag")
        #expect(S3ObjectTags.problem([S3Tag("caso 日本 @x_y.z:/=+- & <b>", "العربية 123 \"q\"")]) == nil)
    }

    @Test func theTaggingHeaderIsURLEncodedQueryForm() throws {
        #expect(try S3ObjectTags.parseHeader("case=LH-2023-001&note=a%20b+c&flag").get()
            == [S3Tag("case", "LH-2023-001"), S3Tag("note", "a b c"), S3Tag("flag", "")])
        #expect(try S3ObjectTags.parseHeader("").get() == [])
        #expect(code(S3ObjectTags.parseHeader("a=1&a=2")) == "InvalidArgument")
        #expect(code(S3ObjectTags.parseHeader("a=%zz")) == "InvalidArgument")
        #expect(code(S3ObjectTags.parseHeader((1...11).map { "k\($0)=v" }.joined(separator: "&"))) == "InvalidTag")
    }

    @Test func retentionBodiesAndHeaders() throws {
        let r = try S3Retention.parse(data("<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode>"
            + "<RetainUntilDate>2030-01-02T03:04:05Z</RetainUntilDate></Retention>")).get()
        #expect(r == S3Retention(mode: .governance, retainUntil: Timestamp.millis(Timestamp.parse("2030-01-02T03:04:05Z")!)))
        #expect(try S3Retention.parse(data("<Retention/>")).get() == nil)
        #expect(code(S3Retention.parse(data("<Retention><Mode>FOREVER</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate></Retention>")))
            == "MalformedXML")
        #expect(code(S3Retention.parse(data("<Retention><Mode>COMPLIANCE</Mode></Retention>"))) == "MalformedXML")
        #expect(code(S3Retention.parse(data("<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>soon</RetainUntilDate></Retention>")))
            == "MalformedXML")
        #expect(try S3Retention.fromHeaders(mode: "COMPLIANCE", until: "2030-01-01T00:00:00.000Z").get()?.mode == .compliance)
        #expect(try S3Retention.fromHeaders(mode: nil, until: nil).get() == nil)
        #expect(code(S3Retention.fromHeaders(mode: "GOVERNANCE", until: nil)) == "InvalidArgument")
    }

    @Test func retentionChangesFollowS3sRules() {
        let now: Int64 = 1_000_000
        let gov = S3Retention(mode: .governance, retainUntil: now + 1000), comp = S3Retention(mode: .compliance, retainUntil: now + 1000)
        let later = now + 5000, sooner = now + 10
        func change(_ old: S3Retention?, _ new: S3Retention?, bypass: Bool = false) -> String? {
            S3Retention.changeProblem(from: old, to: new, now: now, bypassGovernance: bypass)?.code
        }
        #expect(change(nil, S3Retention(mode: .governance, retainUntil: now)) == "InvalidArgument")
        #expect(change(nil, gov) == nil)
        #expect(change(gov, S3Retention(mode: .governance, retainUntil: later)) == nil)
        #expect(change(gov, S3Retention(mode: .compliance, retainUntil: later)) == nil)
        #expect(change(gov, S3Retention(mode: .governance, retainUntil: sooner)) == "AccessDenied")
        #expect(change(gov, nil) == "AccessDenied")
        #expect(change(gov, nil, bypass: true) == nil)
        #expect(change(gov, S3Retention(mode: .governance, retainUntil: sooner), bypass: true) == nil)
        #expect(change(comp, S3Retention(mode: .compliance, retainUntil: later)) == nil)
        #expect(change(comp, S3Retention(mode: .compliance, retainUntil: sooner), bypass: true) == "AccessDenied")
        #expect(change(comp, S3Retention(mode: .governance, retainUntil: later), bypass: true) == "AccessDenied")
        #expect(change(comp, nil, bypass: true) == "AccessDenied")
        // Once its date has passed, a retention holds nothing: it can be removed, and it refuses nothing.
        let expired = S3Retention(mode: .compliance, retainUntil: now - 1)
        #expect(change(expired, nil) == nil)
        #expect(!expired.refuses(now: now, bypassGovernance: false))
        #expect(gov.refuses(now: now, bypassGovernance: false) && !gov.refuses(now: now, bypassGovernance: true))
        #expect(comp.refuses(now: now, bypassGovernance: true))
    }

    @Test func anACLBodyIsAcceptedOnlyWhenItGrantsTheOwnerAlone() throws {
        func acl(_ grants: String) -> Data {
            data("<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>genesys-mock</ID></Owner>"
                + "<AccessControlList>\(grants)</AccessControlList></AccessControlPolicy>")
        }
        let owner = "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>genesys-mock</ID>"
            + "<DisplayName>genesys-mock</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
        let allUsers = "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">"
            + "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>"
        #expect(try S3AccessControl.grantsOnlyOwner(acl(owner), ownerId: "genesys-mock").get() == true)
        #expect(try S3AccessControl.grantsOnlyOwner(acl(owner + allUsers), ownerId: "genesys-mock").get() == false)
        #expect(try S3AccessControl.grantsOnlyOwner(acl(owner.replacingOccurrences(of: "FULL_CONTROL", with: "READ")), ownerId: "genesys-mock")
            .get() == false)
        #expect(code(S3AccessControl.grantsOnlyOwner(acl(""), ownerId: "genesys-mock")) == "MalformedACLError")
        #expect(code(S3AccessControl.grantsOnlyOwner(data("<Tagging/>"), ownerId: "genesys-mock")) == "MalformedACLError")
    }

    @Test func storedTagsRoundTrip() {
        let tags = [S3Tag("b", "2"), S3Tag("a", "\"quoted\" \\ 日本")]
        #expect(S3ObjectTags.fromJSON(S3ObjectTags.json(tags)) == tags)
        #expect(S3ObjectTags.json([]) == nil)
        #expect(S3ObjectTags.fromJSON(nil) == [] && S3ObjectTags.fromJSON("{") == [])
    }

    func code<T>(_ r: Result<T, S3BodyError>) -> String? {
        if case .failure(let e) = r { return e.code }
        return nil
    }
}

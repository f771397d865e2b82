import RecordingsDomain
import Testing

@Suite("export request schema")
struct ExportRequestValidatorTests {
    @Test func theContractExampleIsValid() throws {
        guard case .success(let r) = ExportRequestValidator.validate(Body.json(Body.valid)) else {
            Issue.record("the contract's example must be valid")
            return
        }
        #expect(r.storage == .init(bucketName: "legal-discovery-eu", region: "eu-west-2", prefix: "cases/LH-2023-001/"))
        #expect(r.filter.mediaTypes == ["whatsapp"])
        #expect(r.heldCaseId == "LH-2023-001")
        #expect(r.filter.dateInterval != nil)
    }

    @Test("a body that is not an object", arguments: ["[]", "\"x\"", "3", "null", "true"])
    func notAnObject(_ raw: String) throws {
        let f = try #require(Body.failure(Body.json(raw)))
        #expect(f.code == "bad.request")
        #expect(f.message.contains("must be a JSON object"))
    }

    @Test("one broken field: its code and name",
          arguments: [
              ("storage", nil, "bad.request", "storage"),
              ("storage", "[]", "bad.request", "storage"),
              ("storage.destinationType", nil, "bad.request", "storage.destinationType"),
              ("storage.destinationType", "\"gcs\"", "invalid.value", "storage.destinationType"),
              ("storage.bucketName", nil, "bad.request", "storage.bucketName"),
              ("storage.bucketName", "7", "bad.request", "storage.bucketName"),
              ("storage.bucketName", "\"Legal_Discovery\"", "invalid.value", "storage.bucketName"),
              ("storage.bucketName", "\"ab\"", "invalid.value", "storage.bucketName"),
              ("storage.bucketName", "\"192.168.10.20\"", "invalid.value", "storage.bucketName"),
              ("storage.bucketName", "\"-bucket\"", "invalid.value", "storage.bucketName"),
              ("storage.bucketName", "\"bucket..name\"", "invalid.value", "storage.bucketName"),
              ("storage.region", nil, "bad.request", "storage.region"),
              ("storage.region", "\"Europe\"", "invalid.value", "storage.region"),
              ("storage.region", "\"eu-west\"", "invalid.value", "storage.region"),
              ("storage.prefix", "\"/abs/\"", "invalid.value", "storage.prefix"),
              ("storage.prefix", "\"cases/../../etc/\"", "invalid.value", "storage.prefix"),
              ("storage.prefix", "\"a\\u0000b/\"", "invalid.value", "storage.prefix"),
              ("storage.prefix", "\"a//b/\"", "invalid.value", "storage.prefix"),
              ("storage.prefix", "false", "bad.request", "storage.prefix"),
              ("storage.prefix", "\"\(String(repeating: "0", count: 256))/\"", "invalid.value", "storage.prefix"),
              ("filter", nil, "bad.request", "filter"),
              ("filter", "\"whatsapp\"", "bad.request", "filter"),
              ("filter.mediaTypes", nil, "bad.request", "filter.mediaTypes"),
              ("filter.mediaTypes", "[]", "bad.request", "filter.mediaTypes"),
              ("filter.mediaTypes", "\"whatsapp\"", "bad.request", "filter.mediaTypes"),
              ("filter.mediaTypes", "[\"whatsapp\", \"telegram\"]", "invalid.value", "filter.mediaTypes[1]"),
              ("filter.mediaTypes", "[\"WhatsApp\"]", "invalid.value", "filter.mediaTypes[0]"),
              ("filter.interval", "\"2023-01-01\"", "invalid.date", "filter.interval"),
              ("filter.interval", "\"2023-04-01T00:00:00Z/2023-01-01T00:00:00Z\"", "invalid.date", "filter.interval"),
              ("filter.interval", "\"2023-02-30T00:00:00Z/2023-03-01T00:00:00Z\"", "invalid.date", "filter.interval"),
              ("filter.interval", "12", "invalid.date", "filter.interval"),
              ("filter.conversationIds", "[]", "bad.request", "filter.conversationIds"),
              ("filter.conversationIds", "\"c-1\"", "bad.request", "filter.conversationIds"),
              ("filter.conversationIds", "[\"c-1\", 2]", "bad.request", "filter.conversationIds[1]"),
              ("filter.conversationIds", "[\"\"]", "bad.request", "filter.conversationIds[0]"),
          ] as [(String, String?, String, String)])
    func oneBrokenField(_ path: String, _ replacement: String?, _ code: String, _ field: String) throws {
        let f = try #require(Body.failure(Body.with(path, replacement)))
        #expect(f.code == code)
        #expect(f.details.map(\.fieldName) == [field])
        #expect(f.message.contains(field.split(separator: "[").first.map(String.init) ?? field))
    }

    @Test func moreThanAThousandConversationIdsAreRefused() throws {
        let ids = (0...1000).map { "\"c-\($0)\"" }.joined(separator: ",")
        let f = try #require(Body.failure(Body.with("filter.conversationIds", "[\(ids)]")))
        #expect(f.details.map(\.fieldName) == ["filter.conversationIds"])
        let thousand = (1...1000).map { "\"c-\($0)\"" }.joined(separator: ",")
        #expect(Body.failure(Body.with("filter.conversationIds", "[\(thousand)]")) == nil)
    }

    @Test func aPrefixOver512BytesIsRefused() throws {
        let f = try #require(Body.failure(Body.with("storage.prefix", "\"\(String(repeating: "ü", count: 257))\"")))
        #expect(f.details.map(\.fieldName) == ["storage.prefix"])
    }

    @Test func unknownKeysAreRefusedWithAHintForNearMisses() throws {
        let f = try #require(Body.failure(Body.with("legalHold", #"{"enabled": true}"#)))
        #expect(f.code == "bad.request")
        let d = try #require(f.details.first)
        #expect(d.fieldName == "legalHold")
        #expect(d.message.contains("did you mean 'legal_hold'?"))
        let nested = try #require(Body.failure(Body.with("storage.bucket_name", "\"x\"")))
        #expect(nested.details.first?.message.contains("did you mean 'storage.bucketName'?") == true)
        let far = try #require(Body.failure(Body.with("extra", "1")))
        #expect(far.details.first?.message.contains("did you mean") == false)
    }

    @Test("every violation is listed, and a legal_hold structure error takes precedence")
    func everyViolationAndPrecedence() throws {
        let raw = """
        {"storage": {"destinationType": "ftp", "bucketName": "X", "region": "moon"},
         "filter": {"mediaTypes": []}, "legal_hold": true, "extra": 1}
        """
        let f = try #require(Body.failure(Body.json(raw)))
        #expect(f.code == "invalid.metadata.structure")
        #expect(f.message == "Invalid metadata structure for legal_hold")
        #expect(Set(f.details.map(\.fieldName)) == ["legal_hold", "extra", "storage.destinationType", "storage.bucketName",
                                                     "storage.region", "filter.mediaTypes"])
    }

    @Test func withoutAHoldProblemTheFirstViolationSpeaksAndCountsTheRest() throws {
        let raw = #"{"storage": {"destinationType": "s3", "bucketName": "ok-bucket", "region": "moon"}, "filter": {"mediaTypes": ["fax"]}}"#
        let f = try #require(Body.failure(Body.json(raw)))
        #expect(f.code == "invalid.value")
        #expect(f.message.hasPrefix("storage.region"))
        #expect(f.message.hasSuffix("(and 1 more; see details)"))
        #expect(f.details.count == 2)
    }

    @Test("valid names", arguments: ["abc", "legal-discovery-eu", "a.b.c", "123bucket", String(repeating: "a", count: 63)])
    func validBucketNames(_ name: String) { #expect(NameRules.isBucketName(name)) }

    @Test("valid regions", arguments: ["us-east-1", "eu-west-2", "ap-southeast-3", "us-gov-west-1", "me-central-1"])
    func validRegions(_ region: String) { #expect(NameRules.isRegion(region)) }
}

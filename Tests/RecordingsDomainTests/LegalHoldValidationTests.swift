import RecordingsDomain
import Testing

@Suite("legal_hold is a strict object")
struct LegalHoldValidationTests {
    @Test("a legal_hold that is not an object is refused with the contract's exact code and message",
          arguments: ["true", "false", "\"yes\"", "1", "0.5", "[]", "[{\"enabled\": true}]", "null", "\"\""])
    func notAnObject(_ raw: String) throws {
        let f = try #require(Body.failure(Body.with("legal_hold", raw)))
        #expect(f.code == "invalid.metadata.structure")
        #expect(f.message == "Invalid metadata structure for legal_hold")
        #expect(f.details.map(\.fieldName) == ["legal_hold"])
    }

    @Test("each broken rule of the object is named in details",
          arguments: [
              (#"{"case_id": "LH-2023-001", "reason": "Discovery"}"#, ["legal_hold.enabled"]),
              (#"{"enabled": "true", "case_id": "LH-2023-001", "reason": "Discovery"}"#, ["legal_hold.enabled"]),
              (#"{"enabled": true, "reason": "Discovery"}"#, ["legal_hold.case_id"]),
              (#"{"enabled": true, "case_id": 42, "reason": "Discovery"}"#, ["legal_hold.case_id"]),
              (#"{"enabled": true, "case_id": "LH 2023/001", "reason": "Discovery"}"#, ["legal_hold.case_id"]),
              (#"{"enabled": true, "case_id": "", "reason": "Discovery"}"#, ["legal_hold.case_id"]),
              (#"{"enabled": true, "case_id": "LH-2023-001"}"#, ["legal_hold.reason"]),
              (#"{"enabled": true, "case_id": "LH-2023-001", "reason": "   "}"#, ["legal_hold.reason"]),
              (#"{"enabled": true, "case_id": "LH-2023-001", "reason": ["x"]}"#, ["legal_hold.reason"]),
              (#"{"enabled": true, "case_id": "LH-2023-001", "reason": "Discovery", "colour": "red"}"#, ["legal_hold.colour"]),
              (#"{"enabled": true, "caseId": "LH-2023-001", "reason": "Discovery"}"#, ["legal_hold.caseId", "legal_hold.case_id"]),
              (#"{}"#, ["legal_hold.enabled"]),
          ])
    func brokenObject(_ raw: String, _ fields: [String]) throws {
        let f = try #require(Body.failure(Body.with("legal_hold", raw)))
        #expect(f.code == "invalid.metadata.structure")
        #expect(f.message == "Invalid metadata structure for legal_hold")
        #expect(Set(f.details.map(\.fieldName)) == Set(fields))
        #expect(f.details.allSatisfy { $0.errorCode == "invalid.metadata.structure" })
    }

    @Test func reasonLongerThan500CharactersIsRefused() throws {
        let long = String(repeating: "é", count: 501)
        let f = try #require(Body.failure(Body.with("legal_hold", #"{"enabled": true, "case_id": "LH-1", "reason": "\#(long)"}"#)))
        #expect(f.details.map(\.fieldName) == ["legal_hold.reason"])
        let ok = Body.with("legal_hold", #"{"enabled": true, "case_id": "LH-1", "reason": "\#(String(repeating: "é", count: 500))"}"#)
        #expect(Body.failure(ok) == nil)
    }

    @Test func aCamelCaseNearMissGetsAHint() throws {
        let f = try #require(Body.failure(Body.with("legal_hold", #"{"enabled": true, "caseId": "LH-1", "reason": "x"}"#)))
        let detail = try #require(f.details.first { $0.fieldName == "legal_hold.caseId" })
        #expect(detail.message.contains("did you mean 'legal_hold.case_id'?"))
    }

    @Test func disabledHoldNeedsNoCaseIdOrReason() throws {
        guard case .success(let r) = ExportRequestValidator.validate(Body.with("legal_hold", #"{"enabled": false}"#)) else {
            Issue.record("a disabled hold should be valid")
            return
        }
        #expect(r.legalHold == ExportRequest.LegalHold(enabled: false))
        #expect(r.heldCaseId == nil)
    }

    @Test func missingLegalHoldIsValid() {
        guard case .success(let r) = ExportRequestValidator.validate(Body.with("legal_hold", nil)) else {
            Issue.record("a request without legal_hold should be valid")
            return
        }
        #expect(r.legalHold == nil)
    }

    @Test("the registry: unknown, released and active holds")
    func registry() throws {
        let missing = try #require(LegalHoldRules.registryFailure(caseId: "LH-2099-999", status: nil))
        #expect(missing.code == "legal.hold.not.found")
        #expect(missing.message.contains("LH-2099-999"))
        let released = try #require(LegalHoldRules.registryFailure(caseId: "LH-2022-017", status: .released))
        #expect(released.code == "legal.hold.not.active")
        #expect(released.message.contains("LH-2022-017"))
        #expect(LegalHoldRules.registryFailure(caseId: "LH-2023-001", status: .active) == nil)
    }
}

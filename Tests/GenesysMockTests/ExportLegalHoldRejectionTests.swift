import Foundation
import Testing

/// The `legal_hold` rows of CONTRACT §1's error table, over HTTP: structure, registry, precedence. Every rejected
/// request leaves no job and nothing in the sink.
@Suite struct ExportLegalHoldRejectionTests {
    static let structure = "Invalid metadata structure for legal_hold"

    /// Checks no export exists and nothing was written to `<data>/s3`.
    static func assertNothingCreated(_ client: Client, token: String) async throws {
        #expect(try await client.exportTotal(token: token) == 0, "a rejected request must not create a job")
        #expect(client.server.sinkFiles().isEmpty, "a rejected request must not write: \(client.server.sinkFiles())")
    }

    @Test(arguments: ["true", "\"yes\"", "1", "[]", "null", "false", "\"{}\""])
    func legalHoldThatIsNotAnObjectIs400InvalidMetadataStructure(_ raw: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.createExport(ExportBody.make(extra: ["legal_hold": raw]), token: token)
            let body = try assertErrorBody(response, .badRequest, "invalid.metadata.structure", message: Self.structure)
            #expect(detailFields(body) == ["legal_hold"], "details: \(response.text)")
            #expect(detailCode(body, "legal_hold") == "invalid.metadata.structure")
            try await Self.assertNothingCreated(client, token: token)
        }
    }

    @Test func aMalformedLegalHoldObjectNamesEveryBadField() async throws {
        try await withServer { client in
            let token = try await client.token()
            let hold = #"{"enabled": true, "case_id": "bad id!", "reason": "   ", "colour": "red"}"#
            let response = try await client.createExport(ExportBody.make(extra: ["legal_hold": hold]), token: token)
            let body = try assertErrorBody(response, .badRequest, "invalid.metadata.structure", message: Self.structure)
            #expect(Set(detailFields(body)) == ["legal_hold.colour", "legal_hold.case_id", "legal_hold.reason"], "\(response.text)")
            for field in detailFields(body) { #expect(detailCode(body, field) == "invalid.metadata.structure") }

            let typed = #"{"enabled": "yes", "case_id": 42, "reason": false}"#
            let second = try await client.createExport(ExportBody.make(extra: ["legal_hold": typed]), token: token)
            let body2 = try assertErrorBody(second, .badRequest, "invalid.metadata.structure", message: Self.structure)
            #expect(Set(detailFields(body2)) == ["legal_hold.enabled", "legal_hold.case_id", "legal_hold.reason"], "\(second.text)")

            let missing = #"{"enabled": true}"#
            let third = try await client.createExport(ExportBody.make(extra: ["legal_hold": missing]), token: token)
            let body3 = try assertErrorBody(third, .badRequest, "invalid.metadata.structure", message: Self.structure)
            #expect(Set(detailFields(body3)) == ["legal_hold.case_id", "legal_hold.reason"], "\(third.text)")

            let noEnabled = #"{"case_id": "LH-2023-001", "reason": "Discovery"}"#
            let fourth = try await client.createExport(ExportBody.make(extra: ["legal_hold": noEnabled]), token: token)
            let body4 = try assertErrorBody(fourth, .badRequest, "invalid.metadata.structure", message: Self.structure)
            #expect(detailFields(body4) == ["legal_hold.enabled"])
            try await Self.assertNothingCreated(client, token: token)
        }
    }

    @Test func anUnknownCaseIdIs400LegalHoldNotFound() async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.createExport(ExportBody.held(caseId: "LH-9999-404"), token: token)
            let body = try assertErrorBody(response, .badRequest, "legal.hold.not.found")
            #expect((body["message"] as? String)?.contains("LH-9999-404") == true, "message names the case id: \(response.text)")
            #expect(detailFields(body) == ["legal_hold.case_id"])
            try await Self.assertNothingCreated(client, token: token)
        }
    }

    @Test func aReleasedCaseIdIs400LegalHoldNotActive() async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.createExport(ExportBody.held(caseId: Seed.releasedCase), token: token)
            let body = try assertErrorBody(response, .badRequest, "legal.hold.not.active")
            #expect((body["message"] as? String)?.contains(Seed.releasedCase) == true, "message names the case id: \(response.text)")
            try await Self.assertNothingCreated(client, token: token)
        }
    }

    @Test func theHoldIsCheckedBeforeTheDestination() async throws {
        try await withServer { client in
            let token = try await client.token()
            // A bucket that does not exist would fail the job later; the released hold refuses it now.
            let body = ExportBody.make(bucket: "no-such-bucket-anywhere", region: "us-east-1", caseId: Seed.releasedCase)
            try assertErrorBody(try await client.createExport(body, token: token), .badRequest, "legal.hold.not.active")
            let denied = ExportBody.make(bucket: "denied-bucket", region: "us-east-1", caseId: "LH-0000-000")
            try assertErrorBody(try await client.createExport(denied, token: token), .badRequest, "legal.hold.not.found")
            try await Self.assertNothingCreated(client, token: token)
        }
    }

    @Test func aLegalHoldStructureErrorWinsAndDetailsListEveryViolation() async throws {
        try await withServer { client in
            let token = try await client.token()
            let request = ExportBody.make(bucket: "Bad_Bucket", extra: ["legal_hold": "true"])
            let response = try await client.createExport(request, token: token)
            let body = try assertErrorBody(response, .badRequest, "invalid.metadata.structure", message: Self.structure)
            #expect(Set(detailFields(body)) == ["legal_hold", "storage.bucketName"], "\(response.text)")
            #expect(detailCode(body, "storage.bucketName") == "invalid.value")

            // A structure error wins over a registry problem too: the registry is never consulted.
            let both = ExportBody.make(bucket: "Bad_Bucket", caseId: Seed.releasedCase)
            let second = try await client.createExport(both, token: token)
            try assertErrorBody(second, .badRequest, "invalid.value")
            #expect(!second.text.contains("legal.hold.not.active"), "registry checked only for an otherwise valid request")
            try await Self.assertNothingCreated(client, token: token)
        }
    }
}

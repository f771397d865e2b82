import Foundation
@testable import GenesysMock
import Testing

/// `genesys-mock validate FILE [--data DIR]`: the server's rules offline; exit 0 valid, 1 invalid, 2 unreadable.
@Suite struct OfflineValidationTests {
    static func write(_ text: String, in dir: String) throws -> String {
        let path = dir + "/request-\(UUID().uuidString.lowercased()).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theContractExampleIsValid() throws {
        let dir = TestServer.makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = OfflineValidation.run(file: try Self.write(ExportBody.contractExample, in: dir), dataDir: nil, orgId: nil)
        #expect(outcome.exitCode == 0, "\(outcome.text)")
        #expect(outcome.text.hasPrefix("valid"))
    }

    @Test func aBooleanLegalHoldIsInvalidWithTheServersMessage() throws {
        let dir = TestServer.makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = OfflineValidation.run(file: try Self.write(ExportBody.make(extra: ["legal_hold": "true"]), in: dir),
                                            dataDir: nil, orgId: nil)
        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("invalid.metadata.structure"), "\(outcome.text)")
        #expect(outcome.text.contains("Invalid metadata structure for legal_hold"), "\(outcome.text)")
        let notJSON = OfflineValidation.run(file: try Self.write("{nope", in: dir), dataDir: nil, orgId: nil)
        #expect(notJSON.exitCode == 1 && notJSON.text.contains("not valid JSON"), "\(notJSON.text)")
    }

    @Test func aPayloadPastedWithTypographicQuotesIsPinnedToItsLineAndColumn() throws {
        let dir = TestServer.makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pasted = """
            {
              "storage": {"destinationType": "s3", "bucketName": "legal-discovery-eu", "region": "eu-west-2"},
              "filter": {"mediaTypes": ["whatsapp"]},
              “legal_hold”: {"enabled": true, "case_id": "LH-2023-001", "reason": "Discovery"}
            }
            """
        let outcome = OfflineValidation.run(file: try Self.write(pasted, in: dir), dataDir: nil, orgId: nil)
        #expect(outcome.exitCode == 1)
        #expect(outcome.text.hasPrefix("invalid: 400 bad.request: The request body is not valid JSON"), "the server's own answer first")
        #expect(outcome.text.contains("hint: line 4, column 3: “ (U+201C) is a typographic quote"), "\(outcome.text)")
        // And the console's journal says the same of the same body.
        let hint = ConsoleHints.hint(status: 400, path: "/api/v2/recordings/exports", requestBody: pasted,
                                     response: #"{"code":"bad.request","message":"The request body is not valid JSON"}"#)
        #expect(hint?.contains("line 4, column 3") == true && hint?.contains("typographic quote") == true, "\(hint ?? "no hint")")
    }

    @Test func aMissingFileExits2() {
        let outcome = OfflineValidation.run(file: "/nonexistent/\(UUID().uuidString).json", dataDir: nil, orgId: nil)
        #expect(outcome.exitCode == 2)
        #expect(outcome.text.contains("cannot read"), "\(outcome.text)")
    }

    @Test func withADataFolderTheCaseIdIsCheckedAgainstItsRegistry() async throws {
        let server = TestServer()
        defer { server.removeData() }
        try await server.run { client in
            let health = try await client.call(.get, "/__admin/health")
            #expect(health.status == .ok)
        }
        let released = try Self.write(ExportBody.held(caseId: Seed.releasedCase), in: server.dataDir)
        let outcome = OfflineValidation.run(file: released, dataDir: server.dataDir, orgId: nil)
        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("legal.hold.not.active") && outcome.text.contains(Seed.releasedCase), "\(outcome.text)")

        let active = try Self.write(ExportBody.held(), in: server.dataDir)
        let ok = OfflineValidation.run(file: active, dataDir: server.dataDir, orgId: nil)
        #expect(ok.exitCode == 0, "\(ok.text)")
        #expect(ok.text.contains(Seed.activeCase))

        let unknown = try Self.write(ExportBody.held(caseId: "LH-0000-000"), in: server.dataDir)
        let missing = OfflineValidation.run(file: unknown, dataDir: server.dataDir, orgId: nil)
        #expect(missing.exitCode == 1 && missing.text.contains("legal.hold.not.found"), "\(missing.text)")

        // The second org has no such hold.
        let otherOrg = OfflineValidation.run(file: active, dataDir: server.dataDir, orgId: Seed.otherOrgId)
        #expect(otherOrg.exitCode == 1 && otherOrg.text.contains("legal.hold.not.found"), "\(otherOrg.text)")
    }
}

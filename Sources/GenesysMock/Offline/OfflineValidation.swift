import Foundation
import MockStore
import DocumentCodecs
import RecordingsDomain

/// `genesys-mock validate`: the server's schema rules and messages, offline (CONTRACT §10).
package enum OfflineValidation {
    package struct Outcome: Sendable {
        /// 0 valid, 1 invalid, 2 unreadable.
        package var exitCode: Int32
        package var text: String
    }

    package static func run(file: String, dataDir: String?, orgId: String?) -> Outcome {
        guard let data = FileManager.default.contents(atPath: file) else {
            return Outcome(exitCode: 2, text: "error: cannot read \(file)")
        }
        guard let json = JSONValue.parse(data) else {
            // The server's own answer, then where the text goes wrong (the API says no more than the platform would).
            var outcome = invalid(ValidationFailure(code: ExportErrorCode.badRequest, message: "The request body is not valid JSON",
                                                    details: [Violation(ExportErrorCode.badRequest, "body", "The request body is not valid JSON")]))
            if let problem = JSONSyntaxHint.problem(in: Array(data)) { outcome.text += "\n  hint: \(problem)" }
            return outcome
        }
        switch ExportRequestValidator.validate(json) {
        case .failure(let failure):
            return invalid(failure)
        case .success(let request):
            if let caseId = request.heldCaseId, let dataDir {
                do {
                    let status = try holdStatus(dataDir: dataDir, orgId: orgId, caseId: caseId)
                    if let failure = LegalHoldRules.registryFailure(caseId: caseId, status: status) { return invalid(failure) }
                } catch {
                    return Outcome(exitCode: 2, text: "error: cannot read the hold registry in \(dataDir): \(error)")
                }
            }
            var line = "valid: export of \(request.filter.mediaTypes.joined(separator: ", ")) to s3://\(request.storage.bucketName)/\(request.storage.prefix ?? "") (\(request.storage.region))"
            if let caseId = request.heldCaseId {
                line += " under legal hold \(caseId)" + (dataDir == nil ? " (registry not checked: pass --data DIR)" : " (ACTIVE)")
            }
            return Outcome(exitCode: 0, text: line)
        }
    }

    static func invalid(_ f: ValidationFailure) -> Outcome {
        var lines = ["invalid: 400 \(f.code): \(f.message)"]
        for d in f.details { lines.append("  - \(d.fieldName) (\(d.errorCode)): \(d.message)") }
        return Outcome(exitCode: 1, text: lines.joined(separator: "\n"))
    }

    static func holdStatus(dataDir: String, orgId: String?, caseId: String) throws -> LegalHoldStatus? {
        let path = dataDir + "/genesys-mock.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw FixtureError(file: path, problem: "no database here; start the server once with --data \(dataDir)")
        }
        return try OfflineStore.holdStatus(databasePath: path, orgId: orgId, caseId: caseId)
    }
}

import DocumentCodecs
import Foundation

/// A plain-language hint for a failed call in the journal: the mistake that usually causes it. Judged from the
/// error's own code and the request the client sent, so a hint never guesses beyond what the journal shows.
enum ConsoleHints {
    static func hint(status: Int, path: String, requestBody: String?, response: String?) -> String? {
        guard status >= 400 else { return nil }
        let body = requestBody ?? ""
        let answer = response ?? ""
        func code(_ c: String) -> Bool { answer.contains("\"\(c)\"") || answer.contains("<Code>\(c)</Code>") }

        if code("bad.request"), answer.contains("not valid JSON"), let problem = JSONSyntaxHint.problem(in: Array(body.utf8)) {
            return "The body is not JSON at \(problem)."
        }
        if code("invalid.metadata.structure") {
            if body.range(of: #""legal_hold"\s*:\s*(true|false|"[^"]*"|\d|\[|null)"#, options: .regularExpression) != nil {
                return "legal_hold is an object, never a boolean or a string: {\"enabled\": true, \"case_id\": \"LH-…\", \"reason\": \"…\"}."
            }
            return "legal_hold must be exactly {\"enabled\", \"case_id\", \"reason\"}: details[] names each key that is missing, mistyped or extra."
        }
        if body.contains("\"legalHold\"") {
            return "The key is legal_hold (snake case), not legalHold: camelCase keys are refused as unknown."
        }
        if code("legal.hold.not.active") {
            return "That case id names a released hold. A released case can never be reused: create a new hold with a new case id."
        }
        if code("legal.hold.not.found") {
            return "No hold with that case id in this client's org. Create it first (Legal holds), and check the client belongs to the same org."
        }
        if code("authentication.required") { return "Send Authorization: Bearer <token>, with a token from POST /oauth/token." }
        if code("bad.credentials") {
            return "The token is unknown here: was it issued by another server, or before a reset of the data folder? Get a new one."
        }
        if code("credentials.expired") { return "The token has expired (tokens follow the mock clock, which may have been advanced). Get a new one." }
        if code("missing.permissions") {
            return "This client lacks the permission the ErrorBody names; mock-viewer can only read. Use a client that has it."
        }
        if code("too.many.requests") || code("SlowDown") {
            return "Too many calls: wait the Retry-After seconds and retry with backoff. A trainer may have staged a 429 storm (Faults)."
        }
        if code("unsupported.media.type") { return "Send the body as JSON with Content-Type: application/json." }
        if code("invalid_client") { return "Wrong client id or secret: the World page lists the sandbox's clients with copy buttons." }
        if code("PermanentRedirect") || (code("AuthorizationHeaderMalformed") && answer.contains("region")) {
            return "The wrong region: sign S3 requests for the bucket's own region (World → Buckets lists each bucket's region)."
        }
        if code("SignatureDoesNotMatch") { return "The S3 secret key is wrong, or the request changed after it was signed." }
        if code("InvalidAccessKeyId") { return "Unknown S3 access key: the World page lists the sandbox's keys." }
        if code("AccessDenied") && (answer.contains("legal hold") || answer.contains("Legal hold")) {
            return "The object is under legal hold: it can be neither overwritten nor deleted until its hold is switched off."
        }
        if code("NoSuchBucket") { return "No bucket by that name: bucket names are exact (World → Buckets)." }
        if code("not.found") && path.contains("/recordings/exports/") {
            return "Exports are per org: a client of another org sees 404, as if the export did not exist."
        }
        if code("export.state.conflict") { return "The job has already ended: only PENDING or PROCESSING jobs can be cancelled." }
        if code("request.entity.too.large") { return "The body is over the size limit (1 MiB by default)." }
        if status == 404 { return "No such route or resource: check the path (the OpenAPI document is at /api/v2/docs/openapi.json)." }
        if status == 405 { return "Wrong method for this path: the Allow header lists the right ones." }
        return nil
    }

    /// Why an export usually fails asynchronously, from its `errorMessage` (S3's words).
    static func jobHint(_ message: String) -> String? {
        if message.contains("PermanentRedirect") {
            return "The wrong region: storage.region must be the bucket's own region (World → Buckets lists it)."
        }
        if message.contains("NoSuchBucket") { return "No bucket by that name in the sink: bucket names are exact (World → Buckets)." }
        if message.contains("AccessDenied") {
            return "The bucket refused the write: its policy denies PutObject, a fault is staged (Faults), or a held object is in the way."
        }
        return nil
    }
}

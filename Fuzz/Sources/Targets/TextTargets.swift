import Foundation
import HTTPTypes
@testable import GenesysMock
import Hummingbird
import NIOCore
import RecordingsDomain

extension FuzzTarget {
    /// ISO-8601 dates and intervals (export filters, holds, the clock), S3's `X-Amz-Date`, the console's day
    /// fields. What parses formats and parses back to the same instant.
    static let dates = FuzzTarget(name: "dates") { bytes in
        let text = bytes.text
        if let date = Timestamp.parse(text) {
            let millis = Timestamp.millis(date)
            expect((Timestamp.minMillis...Timestamp.maxMillis).contains(millis), "a parsed date is within the years 1-9999")
            let formatted = Timestamp.format(millis: millis)
            expect(Timestamp.parse(formatted).map(Timestamp.millis) == millis, "\(formatted) parses back to \(millis)")
            _ = Timestamp.httpDate(millis: millis)
        }
        _ = Timestamp.parseInterval(text)
        if let millis = S3Presigned.amzDateMillis(text) {
            _ = SigV4.amzDates(Int(millis / 1000))
        }
        _ = Console.day(text)
    }

    /// Bucket names, regions, key prefixes, case ids and object keys (the sink's rules), and the S3 port's reading
    /// of a request's path and query into bucket, key and parameters.
    static let namesAndKeys = FuzzTarget(name: "names-keys") { bytes in
        let text = bytes.text
        if NameRules.isBucketName(text) {
            expect((3...63).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 0x2D && $0 < 0x7B }, "a bucket name is short ASCII")
        }
        _ = NameRules.isRegion(text)
        _ = NameRules.prefixProblem(text)
        _ = NameRules.isCaseId(text)
        if SinkPath.keyProblem(text) == nil {
            expect(!text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }), "an accepted key has no control character")
            let segments = text.split(separator: "/", omittingEmptySubsequences: false)
            expect(!segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }), "an accepted key has no empty, . or .. segment")
            expect((try? SinkPath.relative(bucket: "fuzz-bucket", key: text)) != nil, "an accepted key has a path in the sink")
        }
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/" + text),
                              body: RequestBody(buffer: ByteBuffer()))
        if let target = try? S3Target(request), let key = target.key { _ = SinkPath.keyProblem(key) }
    }

    /// The console's forms and query values (and `/oauth/token`'s form and Basic credentials), decoded as the
    /// routes decode them; a sign-in's `next` only ever leads into the console.
    static let consoleForm = FuzzTarget(name: "console-form") { bytes in
        let text = bytes.text
        let form = OAuthRoutes.parseForm(text)
        let next = Console.safeNext(form["next"] ?? text)
        expect(next.hasPrefix("/console") && !next.contains("//"), "a redirect stays in the console: \(next)")
        _ = OAuthRoutes.basicCredentials(text)
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/console/conversations?" + text),
                              body: RequestBody(buffer: ByteBuffer()))
        let q = request.uri.queryParameters
        for name in ["from", "to", "q", "prefix", "after", "key", "client"] {
            if let raw = q[Substring(name)] { _ = String(raw).removingPercentEncoding.map(Console.day) }
        }
        _ = try? Paging(request)
    }
}

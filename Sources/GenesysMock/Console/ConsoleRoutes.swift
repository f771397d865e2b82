import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import RecordingsDomain
import Synchronization

/// The trainers' console at `/console` (CONTRACT §13): server-rendered pages over the same stores the API uses.
/// Pages only read; every change a page makes is a call from its script to a documented route (`/__admin`,
/// `/oauth/token`, `/api/v2`), so the console can do nothing that a test or a tool could not.
struct Console: Sendable {
    let services: AppServices
    let control: ControlPlane
    let access: ConsoleAccess
    let renderer: ConsoleRenderer
    let s3Port: BoundPort
    /// The queue names a search can pick from, per org (read from the newest conversations, kept 30 s).
    let queueNames = ShortLivedCache<[String]>(seconds: 30)

    /// Fixture clients' secrets, shown so that a trainee can copy them (stored clients' secrets are only hashes).
    var fixtureSecrets: [String: String] {
        Dictionary(control.fixtures.clients.map { ($0.clientId, $0.clientSecret) }, uniquingKeysWith: { a, _ in a })
    }

    func register(on router: RouteRegistrar) {
        let group = router.group("console").add(middleware: ConsoleGuard(access: access))
        let pages: [(String, @Sendable (Request, AppRequestContext) async throws -> Response)] = [
            ("", world), ("holds", holds), ("holds/{caseId}", hold), ("exports", exports), ("exports/new", newExport),
            ("exports/{jobId}", job), ("conversations", conversations), ("conversations/{conversationId}", conversation),
            ("downloads", downloads), ("tenants", tenants),
            ("buckets", buckets), ("buckets/{bucket}", bucket), ("buckets/{bucket}/object", object),
            ("buckets/{bucket}/download", download), ("journal", journal), ("journal/rows", journalRows), ("faults", faults),
            ("sign-in", signInPage), ("static/console.css", stylesheet), ("static/console.js", script),
        ]
        for (path, handler) in pages {
            group.get(RouterPath(path), use: handler)
        }
        group.post("sign-in", use: signIn)
        group.post("sign-out", use: signOut)
    }

    // MARK: shared

    func org(_ request: Request) async throws -> ConsoleOrg {
        let all = try await services.db.orgs()
        let wanted = request.uri.queryParameters["org"].map(String.init)
        let chosen = all.first { $0.id == wanted } ?? all.first ?? AppDatabase.OrgRow(id: "", name: "")
        return ConsoleOrg(id: chosen.id, name: chosen.name, all: all)
    }

    func chrome(_ title: String, section: String, _ request: Request, _ context: AppRequestContext, _ org: ConsoleOrg) -> ConsoleRenderer.Chrome {
        let session = context.consoleSession ?? ""
        return ConsoleRenderer.chrome(title: title, section: section, path: request.uri.path, org: org,
                                      csrf: session.isEmpty ? "" : access.csrfToken(for: session), signedIn: access.mode == .signInRequired)
    }

    /// `http://host:port` as the browser reached this server.
    func origin(_ request: Request) -> String {
        DownloadRoutes.origin(request, config: services.config)
    }

    func s3Endpoint(_ request: Request) -> String {
        let host = request.head.authority ?? services.config.host
        let bare: String
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            bare = String(host[...close])
        } else {
            bare = host.split(separator: ":").first.map(String.init) ?? host
        }
        return "http://\(bare):\(s3Port.value ?? services.config.s3Port)"
    }

    // MARK: static files

    @Sendable func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.asset(ConsoleStyle.css, type: "text/css; charset=utf-8")
    }

    @Sendable func script(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.asset(ConsoleScript.js, type: "text/javascript; charset=utf-8")
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = ConsoleHTML.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: sign-in

    struct SignInView { var next: String; var error: String? }

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard access.mode == .signInRequired else { return Response(status: .seeOther, headers: [.location: "/console"]) }
        return renderer.page("signin", SignInView(next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)), error: nil))
    }

    /// Only a console path may be a redirect target.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/console"), !raw.contains("//"), !raw.contains("\\"),
              raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/console" }
        return raw
    }

    static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: 16 * 1024) } catch {
            throw ConsolePageError(status: .contentTooLarge, message: "The form is larger than 16 KiB")
        }
        let form = OAuthRoutes.parseForm(String(decoding: body.readableBytesView, as: UTF8.self))
        // The same rule as JSON bodies: no control character in a name or an identifier, only tabs and line breaks in text.
        if let hit = JSONValue.object(form.mapValues { .string($0) }).forbiddenControl() {
            throw ConsolePageError(status: .badRequest, message: IdentifierRule.message(field: hit.field, scalar: hit.scalar))
        }
        return form
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        let next = Self.safeNext(form["next"])
        guard access.mode == .signInRequired else { return Response(status: .seeOther, headers: [.location: next]) }
        guard let id = access.signIn(token: form["token"] ?? "") else {
            context.logger.notice("console sign-in refused")
            return renderer.page("signin", SignInView(next: next, error: "That is not the admin token this server was started with."),
                                 status: .unauthorized)
        }
        return Response(status: .seeOther, headers: [.location: next, .setCookie: ConsoleAccess.setCookie(id)])
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        guard let id = context.consoleSession, access.csrfMatches(form["csrf"], session: id) else {
            throw ConsolePageError(status: .forbidden, message: "The form's CSRF token is missing or wrong: reload the page and try again")
        }
        access.signOut(id)
        return Response(status: .seeOther, headers: [.location: "/console/sign-in", .setCookie: ConsoleAccess.clearCookie])
    }
}

/// A value per key, kept for a short while: for choices a page offers that need not be exact to the second.
final class ShortLivedCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (at: ContinuousClock.Instant, value: Value)]>([:])
    let lifetime: Duration

    init(seconds: Int) { lifetime = .seconds(seconds) }

    func value(_ key: String, _ make: () async throws -> Value) async rethrows -> Value {
        let now = ContinuousClock.now
        if let hit = entries.withLock({ $0[key] }), now - hit.at < lifetime { return hit.value }
        let value = try await make()
        entries.withLock { $0[key] = (now, value) }
        return value
    }
}

/// A port learnt once the listener is bound (`--s3-port 0` picks any).
package final class BoundPort: Sendable {
    private let port = Mutex<Int?>(nil)
    package init() {}
    package var value: Int? { port.withLock { $0 } }
    package func set(_ p: Int) { port.withLock { $0 = p } }
}

/// How the console shows times, sizes and states.
enum ConsoleFormat {
    /// `2023-01-01 11:02:17` (UTC).
    static func time(_ millis: Int64?) -> String {
        guard let millis else { return "" }
        let iso = Timestamp.format(millis: millis)
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    static func shortId(_ id: String) -> String { String(id.prefix(8)) }
}

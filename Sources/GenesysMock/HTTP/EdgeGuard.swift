import HTTPTypes
import Hummingbird
import Logging
import RecordingsDomain

/// The rules every request passes on both ports before any route sees it (CONTRACT §17). Each surface turns a
/// refusal into its own error shape (`FrontMiddleware` for the API port, `S3Responder` for the S3 port).
///
/// - **Identifiers:** a path or query holding a control character once percent-decoded (`%00`, `%0A`, …) is
///   refused whole, so `…/exports/{id}%00junk` never reaches the lookup of `{id}`.
/// - **Host:** a name the mock does not serve is refused, against DNS rebinding (a page on `evil.example` whose
///   name is made to resolve to 127.0.0.1 would otherwise reach the mock as same-origin). IP literals,
///   `localhost` and `*.localhost`, the `--host` name and the names given with `--allowed-host` are served.
/// - **Origin:** a state-changing request that a browser marks as coming from another origin (`Origin` other
///   than the mock's own, or `Sec-Fetch-Site: cross-site`) is refused where it changes state without a bearer
///   token: `/__admin`, `/console` and the S3 port. curl, the SDKs, boto3 and the AWS CLI send neither header.
package struct EdgeGuard: Sendable {
    package enum Refusal: Error, Equatable {
        case controlCharacter(UInt32)
        case foreignHost(String)
        case foreignOrigin(String)
        case crossSite

        var status: HTTPResponse.Status {
            if case .controlCharacter = self { return .badRequest }
            return .forbidden
        }

        /// A short name for the log.
        var reason: String {
            switch self {
            case .controlCharacter: return "control-character"
            case .foreignHost: return "foreign-host"
            case .foreignOrigin: return "foreign-origin"
            case .crossSite: return "cross-site"
            }
        }

        var message: String {
            switch self {
            case .controlCharacter(let c):
                return "The request's path or query holds the control character \(IdentifierRule.describe(c)); no identifier may hold one"
            case .foreignHost(let host):
                return "Host '\(host)' is not a name this mock serves (a guard against DNS rebinding): start it with "
                    + "--allowed-host \(host) or GENESYS_MOCK_ALLOWED_HOSTS=\(host) to serve it"
            case .foreignOrigin(let origin):
                return "A request from another origin (\(origin)) may not change this mock's state"
            case .crossSite:
                return "A cross-site request (Sec-Fetch-Site: cross-site) may not change this mock's state"
            }
        }
    }

    let listenHost: String
    let allowedHosts: Set<String>
    let anyHost: Bool

    package init(config: AppConfiguration) {
        listenHost = Self.normalized(config.host)
        let names = config.allowedHosts.map(Self.normalized)
        anyHost = names.contains("*")
        allowedHosts = Set(names)
    }

    /// Checks a request; `guardsOrigin` says whether this path changes state without a bearer token. With
    /// `checksIdentifiers` false the caller checks the path later (`/api/v2` does, once the token is known, so that
    /// the 400 carries the rate-limit headers like every authenticated answer).
    package func check(_ request: Request, guardsOrigin: Bool, checksIdentifiers: Bool = true) -> Refusal? {
        if checksIdentifiers, let refusal = Self.identifierRefusal(request) { return refusal }
        let authority = request.head.authority
        if let authority, !servesHost(of: authority) { return .foreignHost(Self.hostPart(of: authority)) }
        guard guardsOrigin, Self.changesState(request.method) else { return nil }
        // A browser's own word on where a request comes from wins: `same-origin` (a page of the mock's, even one whose
        // strict referrer policy makes its form posts say `Origin: null`) and `none` (typed by the user) pass;
        // `same-site` (another port of this host) goes on to the Origin check.
        switch request.headers[.secFetchSite]?.lowercased() {
        case "same-origin", "none": return nil
        case "cross-site": return .crossSite
        default: break
        }
        if let origin = request.headers[.origin], !Self.isSameOrigin(origin, authority: authority) { return .foreignOrigin(origin) }
        return nil
    }

    /// Logs a refusal once, at notice level, so that a developer who wonders about a 403 finds why. A path with a
    /// control character is not logged (it is the hostile part).
    package static func log(_ refusal: Refusal, _ request: Request, context: some RequestContext) {
        var metadata: Logger.Metadata = ["reason": "\(refusal.reason)", "method": "\(request.method.rawValue)"]
        if case .controlCharacter(let c) = refusal { metadata["character"] = "\(IdentifierRule.describe(c))" }
        else { metadata["path"] = "\(request.uri.path)" }
        if case .foreignHost(let host) = refusal { metadata["host"] = "\(host)" }
        if case .foreignOrigin(let origin) = refusal { metadata["origin"] = "\(origin)" }
        context.logger.notice("request refused at the edge", metadata: metadata)
    }

    /// A control character in the request's path or query, percent-decoded.
    package static func identifierRefusal(_ request: Request) -> Refusal? {
        IdentifierRule.firstControl(inPercentEncoded: request.uri.string.utf8).map(Refusal.controlCharacter)
    }

    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        !(method == .get || method == .head || method == .options)
    }

    /// Whether the host in a `Host` header (`name[:port]`, `[v6]:port`) is one this mock serves.
    package func servesHost(of authority: String) -> Bool {
        if anyHost { return true }
        let host = Self.hostPart(of: authority)
        if host.isEmpty || Self.isIPLiteral(host) { return true }
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        return host == listenHost || allowedHosts.contains(host)
    }

    /// `Origin: http://127.0.0.1:8080` matches `Host: 127.0.0.1:8080` (default ports filled in); `null` matches
    /// nothing.
    package static func isSameOrigin(_ origin: String, authority: String?) -> Bool {
        guard let authority else { return false }
        let lower = origin.lowercased()
        let scheme: String, rest: Substring
        if lower.hasPrefix("http://") { (scheme, rest) = ("http", lower.dropFirst(7)) }
        else if lower.hasPrefix("https://") { (scheme, rest) = ("https", lower.dropFirst(8)) }
        else { return false }
        guard !rest.contains("/") else { return false }
        return withDefaultPort(String(rest), scheme: scheme) == withDefaultPort(authority.lowercased(), scheme: scheme)
    }

    static func withDefaultPort(_ authority: String, scheme: String) -> String {
        let (host, port) = split(authority)
        return host + ":" + (port ?? (scheme == "https" ? "443" : "80"))
    }

    /// The host of an authority, lower-cased, without port, brackets or a trailing dot.
    static func hostPart(of authority: String) -> String { split(authority).host }

    static func split(_ authority: String) -> (host: String, port: String?) {
        var host = Substring(authority), port: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? after.dropFirst() : nil
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        return (normalized(String(host)), port.flatMap { $0.isEmpty ? nil : String($0) })
    }

    static func normalized(_ name: String) -> String {
        var n = name.lowercased()
        if n.hasPrefix("["), n.hasSuffix("]") { n = String(n.dropFirst().dropLast()) }
        while n.hasSuffix(".") { n.removeLast() }
        return n
    }

    /// `127.0.0.1`, `10.0.0.5` or an IPv6 address (the brackets already removed): no DNS name, so no rebinding.
    static func isIPLiteral(_ host: String) -> Bool {
        if host.contains(":") { return host.utf8.allSatisfy { $0 == 58 || $0 == 46 || ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }
    }
}

extension HTTPField.Name {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}

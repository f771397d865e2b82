import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import RecordingsDomain
import Synchronization

/// Who may use the console, and each visitor's CSRF token (CONTRACT §13).
///
/// - On loopback without `--admin-token` the console is open: a visitor gets a session cookie on first sight,
///   only so that its CSRF token has something to be bound to.
/// - With `--admin-token` (wherever the server listens) a visitor signs in with that token; the session lives in an
///   `HttpOnly; SameSite=Strict` cookie and dies with sign-out or a restart.
/// - Beyond loopback without a token the console (like `/__admin`) is closed, and says how to open it.
///
/// A CSRF token is an HMAC of the session id under a key made at start-up. The console's scripts send it in
/// `X-CSRF-Token` on every state-changing call; `AdminGuardMiddleware` refuses a console-cookie call without it.
package final class ConsoleAccess: Sendable {
    static let cookieName = "gm_console"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let sessionLimit = 1000

    enum Mode { case open, signInRequired, closed }

    let adminToken: String?
    let mode: Mode
    private let key = SymmetricKey(size: .bits256)
    /// Signed-in sessions, oldest first (bounded: the oldest is dropped past the limit).
    private let sessions = Mutex<[String]>([])

    init(config: AppConfiguration) {
        adminToken = config.adminToken
        mode = config.adminToken != nil ? .signInRequired : (config.listensOnLoopbackOnly ? .open : .closed)
    }

    static func newSessionId() -> String { RandomID.uuid().replacingOccurrences(of: "-", with: "") + RandomID.uuid().prefix(8) }

    /// The console session named by the request's cookie, if any (not checked).
    static func sessionId(_ headers: HTTPFields) -> String? {
        for field in headers[fields: .cookie] {
            for part in field.value.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == cookieName {
                    let v = kv[1].trimmingCharacters(in: .whitespaces)
                    if (16...80).contains(v.utf8.count), v.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) {
                        return v
                    }
                }
            }
        }
        return nil
    }

    /// Whether a session may see the console now.
    func admits(_ id: String?) -> Bool {
        switch mode {
        case .open: return true
        case .closed: return false
        case .signInRequired: return id.map { id in sessions.withLock { $0.contains(id) } } ?? false
        }
    }

    /// A new signed-in session if `token` is the admin token.
    func signIn(token: String) -> String? {
        guard let adminToken, TokenService.constantTimeEqual(token, adminToken) else { return nil }
        let id = Self.newSessionId()
        sessions.withLock { s in
            s.append(id)
            if s.count > Self.sessionLimit { s.removeFirst(s.count - Self.sessionLimit) }
        }
        return id
    }

    func signOut(_ id: String) { sessions.withLock { $0.removeAll { $0 == id } } }

    func csrfToken(for id: String) -> String {
        Digest.hex(HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: key))
    }

    func csrfMatches(_ given: String?, session id: String) -> Bool {
        guard let given else { return false }
        return TokenService.constantTimeEqual(given, csrfToken(for: id))
    }

    static func setCookie(_ id: String) -> String { "\(cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict" }
    static let clearCookie = "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"

    /// How `/__admin` judges a request that carries the console's cookie: `nil` when the cookie says nothing
    /// (no cookie, or a session that is not signed in), else whether the call may go on.
    func adminVerdict(_ request: Request) -> Result<Void, AdminError>? {
        guard let id = Self.sessionId(request.headers), mode != .closed else { return nil }
        if mode == .signInRequired, !admits(id) { return nil }
        let safe = request.method == .get || request.method == .head
        if !safe, !csrfMatches(request.headers[Self.csrfHeader], session: id) {
            return .failure(AdminError(.forbidden, "forbidden", "The console's CSRF token is missing or wrong: reload the page and try again"))
        }
        return .success(())
    }
}

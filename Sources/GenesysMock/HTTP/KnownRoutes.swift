import HTTPTypes
import Hummingbird

/// Every registered method and path pattern, so that a wrong method on a known path answers 405 (Hummingbird
/// itself answers 404).
package final class RouteBook {
    private(set) var entries: [(HTTPRequest.Method, [Substring])] = []

    package init() {}

    /// Records a route: `/api/v2/recordings/exports/{exportId}`.
    package func add(_ method: HTTPRequest.Method, _ path: String) {
        entries.append((method, path.split(separator: "/")))
    }

    package var known: KnownRoutes { KnownRoutes(entries: entries.map { ($0.0, $0.1.map(String.init)) }) }

    /// Registers, inside the authenticated `/api/v2` group, a 405 for every common method a known path lacks: the
    /// router never runs a group's middleware for a method it has no route for, so without these a wrong method
    /// would skip authentication and the `inin-ratelimit-*` headers every authenticated answer carries.
    func registerWrongMethods(on api: RouterGroup<AppRequestContext>, prefix: String) {
        let known = self.known
        var paths: [String] = []
        for (_, segments) in entries {
            let path = "/" + segments.joined(separator: "/")
            if path.hasPrefix(prefix + "/"), !paths.contains(path) { paths.append(path) }
        }
        for path in paths {
            let allowed = known.methods(for: path)
            for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] where !allowed.contains(method) {
                api.on(RouterPath(String(path.dropFirst(prefix.count + 1))), method: method) { _, _ -> Response in
                    throw GenesysError.methodNotAllowed(allowed)
                }
            }
        }
    }
}

package struct KnownRoutes: Sendable {
    let entries: [(HTTPRequest.Method, [String])]

    /// The methods registered for a concrete path; empty when no pattern matches it.
    package func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        var out: [HTTPRequest.Method] = []
        for (method, pattern) in entries where pattern.count == segments.count {
            let matches = zip(pattern, segments).allSatisfy { p, s in (p.hasPrefix("{") && p.hasSuffix("}")) || p == s }
            if matches, !out.contains(method) { out.append(method) }
        }
        return out
    }
}

/// Filled once the routes are registered; read by the error middleware, which must be added before them.
package final class KnownRoutesBox: Sendable {
    private let routes = Mutex(KnownRoutes(entries: []))

    package init() {}

    package func set(_ known: KnownRoutes) { routes.withLock { $0 = known } }

    package func methods(for path: String) -> [HTTPRequest.Method] { routes.withLock { $0.methods(for: path) } }
}

import Synchronization

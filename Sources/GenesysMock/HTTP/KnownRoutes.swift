import HTTPTypes
import Hummingbird

/// Where every route is declared, once: `RouteRegistrar` is the router as the route files see it, and each route
/// added through it (or through a group made from it) goes to the router and, with its method and full path pattern,
/// into the `RouteBook` in the same call. So the router and the book cannot disagree.
package struct RouteRegistrar: RouterMethods {
    package typealias Context = AppRequestContext
    let router: Router<AppRequestContext>
    let book: RouteBook

    package init(router: Router<AppRequestContext>, book: RouteBook) {
        self.router = router
        self.book = book
    }

    /// A route of a group arrives here with the group's path prepended, so the book gets the full pattern.
    @discardableResult package func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder)
        -> RouteRegistrar where Responder.Context == AppRequestContext
    {
        router.on(path, method: method, responder: responder)
        book.add(method, path.description)
        return self
    }

    /// Adds to the router's own middleware (which applies to the routes added after it).
    @discardableResult package func add(middleware: any MiddlewareProtocol<Request, Response, AppRequestContext>) -> RouteRegistrar {
        router.add(middleware: middleware)
        return self
    }
}

/// Every registered method and path pattern, so that a wrong method on a known path answers 405 (Hummingbird
/// itself answers 404). Filled only by `RouteRegistrar`.
package final class RouteBook {
    private(set) var entries: [(HTTPRequest.Method, [Substring])] = []

    package init() {}

    /// Records a route: `/api/v2/recordings/exports/{exportId}`.
    fileprivate func add(_ method: HTTPRequest.Method, _ path: String) {
        entries.append((method, path.split(separator: "/")))
    }

    package var known: KnownRoutes { KnownRoutes(entries: entries.map { ($0.0, $0.1.map(String.init)) }) }

    /// Registers, inside the authenticated `/api/v2` group, a 405 for every common method a known path lacks: the
    /// router never runs a group's middleware for a method it has no route for, so without these a wrong method
    /// would skip authentication and the `inin-ratelimit-*` headers every authenticated answer carries. These are
    /// answers derived from the book, not routes of their own: `api` is a group of the router itself, so they are
    /// not recorded.
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

    /// The methods registered for a concrete path; empty when no pattern matches it. Like the router, the most
    /// specific patterns win: `…/jobs/availability` is not also `…/jobs/{jobId}`, whose methods it therefore lacks.
    package func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        func isParameter(_ p: String) -> Bool { p.hasPrefix("{") && p.hasSuffix("}") }
        var best: [Bool] = []
        var out: [HTTPRequest.Method] = []
        for (method, pattern) in entries where pattern.count == segments.count {
            guard zip(pattern, segments).allSatisfy({ p, s in isParameter(p) || p == s }) else { continue }
            let literal = pattern.map { !isParameter($0) }
            // More specific: a literal segment where the best so far has a parameter, at the first difference.
            if out.isEmpty || best.indices.first(where: { best[$0] != literal[$0] }).map({ literal[$0] }) == true {
                (best, out) = (literal, [])
            }
            if literal == best, !out.contains(method) { out.append(method) }
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

import Foundation
import GenesysMock
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// One declaration makes a route: added through `RouteRegistrar` (or a group made from it), it is served by the router
/// and known, with its full path pattern, to the book the 405 answers read.
@Suite struct RouteRegistrarTests {
    struct Tag: RouterMiddleware {
        typealias Context = AppRequestContext
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("x-group")!] = "yes"
            return response
        }
    }

    @Test func aRouteAddedOnceIsServedAndKnownWithItsGroupsPath() async throws {
        let router = Router(context: AppRequestContext.self)
        let book = RouteBook()
        let routes = RouteRegistrar(router: router, book: book)
        routes.get("top") { _, _ in "top" }
        let group = routes.group("api/v2").add(middleware: Tag())
        group.get("things/{id}") { _, context in context.parameters.get("id") ?? "" }
        group.delete("things/{id}") { _, _ in Response(status: .noContent) }
        routes.group("console").get { _, _ in "console" }

        #expect(book.known.methods(for: "/top") == [.get])
        #expect(book.known.methods(for: "/api/v2/things/42") == [.get, .delete])
        #expect(book.known.methods(for: "/console") == [.get])
        #expect(book.known.methods(for: "/things/42").isEmpty, "the group's path is part of the pattern")

        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/api/v2/things/42", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "42")
                #expect(response.headers[HTTPField.Name("x-group")!] == "yes", "the group's middleware runs")
            }
            try await client.execute(uri: "/api/v2/things/42", method: .delete) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/top", method: .get) { #expect(String(buffer: $0.body) == "top") }
            try await client.execute(uri: "/console", method: .get) { #expect(String(buffer: $0.body) == "console") }
        }
    }

    @Test func aLiteralSegmentOutranksAParameterAsInTheRouter() {
        let router = Router(context: AppRequestContext.self)
        let book = RouteBook()
        let routes = RouteRegistrar(router: router, book: book)
        routes.get("jobs/availability") { _, _ in "now" }
        routes.get("jobs/{jobId}") { _, _ in "job" }
        routes.delete("jobs/{jobId}") { _, _ in Response(status: .noContent) }
        routes.get("jobs/{jobId}/results") { _, _ in "results" }
        #expect(book.known.methods(for: "/jobs/availability") == [.get], "not DELETE: that is /jobs/{jobId}'s")
        #expect(book.known.methods(for: "/jobs/42") == [.get, .delete])
        #expect(book.known.methods(for: "/jobs/availability/results") == [.get])
        #expect(book.known.methods(for: "/jobs").isEmpty)
    }
}

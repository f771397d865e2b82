import Hummingbird
import Logging
import MockStore

/// The S3-compatible endpoint as its own Hummingbird application on its own port, run as a service of the
/// main application (so both start and stop together).
func buildS3Application(_ services: AppServices, journal: RequestJournal, faults: FaultStore,
                        onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
    let store = S3Store(db: services.db, sink: services.sink, clock: services.clock)
    let responder = S3Responder(
        shedding: LoadSheddingMiddleware.s3(InFlightLimiter(limit: services.config.maxInFlight)),
        journal: JournalMiddleware(journal: journal, clock: services.clock, bodyLimit: services.config.s3BodyLimit) { request, context, limit in
            try S3Error(.contentTooLarge, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size (\(limit) bytes)")
                .response(from: request, context: context)
        },
        errors: S3ErrorMiddleware(faults: S3FaultMiddleware(faults: faults)),
        edge: EdgeGuard(config: services.config),
        routes: S3Routes(store: store, auth: S3Auth(store: store, bodyLimit: services.config.s3BodyLimit)))
    return Application(
        responder: responder,
        server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()])),
        configuration: .init(address: .hostname(services.config.host, port: services.config.s3Port), serverName: "genesys-mock-s3",
                             backlog: services.config.backlog),
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? services.config.s3Port) },
        logger: services.logger
    )
}

/// The S3 port's responder: every request goes through the same middlewares to one handler that dispatches on
/// method, bucket, key and sub-resource as S3 does, so there is no route table to search. Called as plain functions,
/// outermost first: load shedding, the request journal, S3 errors and injected faults, the edge rules (`EdgeGuard`),
/// then the routes.
struct S3Responder: HTTPResponder {
    typealias Context = AppRequestContext
    let shedding: LoadSheddingMiddleware
    let journal: JournalMiddleware
    let errors: S3ErrorMiddleware
    let edge: EdgeGuard
    let routes: S3Routes

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await shedding.handle(request, context: context) { request, context in
                try await journal.handle(request, context: context) { request, context in
                    try await errors.handle(request, context: context) { request, context in
                        if let refusal = edge.check(request, guardsOrigin: true) {
                            EdgeGuard.log(refusal, request, context: context)
                            throw S3Error(refusal)
                        }
                        guard S3Routes.methods.contains(request.method) else { throw HTTPError(.notFound) }
                        return try await routes.handle(request, context: context)
                    }
                }
            }
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }
}

extension S3Error {
    /// The edge's refusals in S3's words: a control character is an `InvalidURI`, another host or origin `AccessDenied`.
    init(_ refusal: EdgeGuard.Refusal) {
        if case .controlCharacter = refusal {
            self.init(.badRequest, "InvalidURI", "Couldn't parse the specified URI. " + refusal.message)
        } else {
            self.init(.forbidden, "AccessDenied", refusal.message)
        }
    }
}

/// Every S3 error leaves as S3's XML; anything unexpected is an `InternalError`, logged. Injected S3 faults are
/// applied here too, called directly rather than as one more middleware on every request's way.
struct S3ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let faults: S3FaultMiddleware

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await faults.handle(request, context: context, next: next)
        } catch let e as S3Error {
            return try e.response(from: request, context: context)
        } catch let e as IdentifierRejected {
            return try S3Error(.badRequest, "InvalidArgument", e.message).response(from: request, context: context)
        } catch let e where StorageCondition.isStorageFull(e) {
            return try S3Error(.insufficientStorage, "InsufficientStorage", StorageCondition.message).response(from: request, context: context)
        } catch let e as HTTPError {
            let code = e.status == .notFound ? "NoSuchKey" : (e.status == .contentTooLarge ? "EntityTooLarge" : "InvalidRequest")
            return try S3Error(e.status, code, e.body ?? e.status.reasonPhrase).response(from: request, context: context)
        } catch {
            context.logger.error("s3 request failed", metadata: ["error": "\(String(describing: error))"])
            return try S3Error(.internalServerError, "InternalError", "We encountered an internal error. Please try again.")
                .response(from: request, context: context)
        }
    }
}

/// Collects the two bound ports and reports readiness once both servers listen.
actor Readiness {
    private var api: Int?
    private var s3: Int?
    private let info: ReadyInfo
    private let onReady: @Sendable (ReadyInfo) async -> Void

    init(info: ReadyInfo, onReady: @escaping @Sendable (ReadyInfo) async -> Void) {
        self.info = info
        self.onReady = onReady
    }

    func apiListening(_ port: Int) async { api = port; await fire() }
    func s3Listening(_ port: Int) async { s3 = port; await fire() }

    private func fire() async {
        guard let api, let s3 else { return }
        var ready = info
        ready.port = api
        ready.s3Port = s3
        await onReady(ready)
    }
}

import Foundation
import Hummingbird
import Logging
import MockStore

/// What the server tells its caller once it listens.
package struct ReadyInfo: Sendable {
    package var host: String
    package var port: Int
    package var s3Port: Int
    package var dataDir: String
    package var fixturesHash: String
    package var conversations: Int
}

/// Builds the whole server: database (migrated, seeded), sink, export worker, router.
package func buildApplication(
    _ config: AppConfiguration, clock: MockClock = MockClock(),
    onReady: @escaping @Sendable (ReadyInfo) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "genesys-mock")
    logger.logLevel = config.logLevel
    let dataDir = URL(fileURLWithPath: config.dataDir).standardizedFileURL.path
    let fixturesDir = config.fixturesDir
    let storage = StorageCondition(logger: logger, now: { clock.nowMillis() })
    let (fixtures, sink, document) = try await BlockingIO.run {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        return (try FixtureSet.load(from: fixturesDir), try FileSink(dataDir: dataDir, storage: storage), HealthRoutes.loadDocument())
    }
    let db = try await AppDatabase.open(path: dataDir + "/genesys-mock.sqlite", storage: storage, backgroundCheckpoints: true)
    try await Seeder.seedIfNeeded(db, fixtures: fixtures, now: clock.nowMillis())
    for tenant in try await db.tenants() {
        clock.setTenant(org: tenant.orgId, MockClock.State(offsetMillis: tenant.clockOffset, frozenAt: tenant.clockFrozen))
    }
    // Parts of uploads that a crash left behind after their Complete or Abort had committed.
    try await sink.removeParts(except: db.uploadIds())
    let faults = FaultStore()
    let engine = ExportEngine(db: db, sink: sink, clock: clock, exportRate: config.exportRate, logger: logger, faults: faults)
    let services = AppServices(config: config, db: db, sink: sink, clock: clock, tokens: TokenService(db: db, clock: clock),
                               limiter: RateLimiter(limit: config.rateLimit), wake: WakeSignal(), engine: engine, logger: logger)
    let control = ControlPlane(faults: faults, journal: RequestJournal(capacity: config.journalSize), gate: AsyncGate(), orgs: KeyedGate(),
                               services: services, fixtures: fixtures)
    let s3Port = BoundPort()
    let router = try buildRouter(services, control: control, fixturesHash: fixtures.hash, openAPIDocument: document, s3Port: s3Port)
    let info = ReadyInfo(host: config.host, port: config.port, s3Port: config.s3Port, dataDir: dataDir, fixturesHash: fixtures.hash,
                         conversations: fixtures.conversations.count)
    let readiness = Readiness(info: info, onReady: onReady)
    let s3 = buildS3Application(services, journal: control.journal, faults: control.faults) { port in
        s3Port.set(port)
        await readiness.s3Listening(port)
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "genesys-mock", backlog: config.backlog),
        services: [ExportWorker(engine: engine, wake: services.wake, gate: control.gate, orgs: control.orgs), s3,
                   CheckpointService(db: db, logger: logger)],
        onServerRunning: { channel in await readiness.apiListening(channel.localAddress?.port ?? config.port) },
        logger: logger
    )
}

/// Middleware first (so no framework default error ever leaks), then every route group.
package func buildRouter(_ services: AppServices, control: ControlPlane, fixturesHash: String, openAPIDocument: ByteBuffer,
                         s3Port: BoundPort = BoundPort()) throws -> Router<AppRequestContext>
{
    let router = Router(context: AppRequestContext.self)
    let consoleAccess = ConsoleAccess(config: services.config)
    let book = RouteBook()
    let known = KnownRoutesBox()
    router.add(middleware: LoadSheddingMiddleware.api(InFlightLimiter(limit: services.config.maxInFlight)))
    router.add(middleware: JournalMiddleware(journal: control.journal, clock: services.clock, bodyLimit: services.config.bodyLimit,
                                             skipsConsole: true) {
        request, context, limit in
        let message = "The request body is larger than the limit of \(limit) bytes"
        var response = try Surface(path: request.uri.path).error(status: .contentTooLarge, message: message)
            .response(from: request, context: context)
        response.headers[.correlationId] = context.correlationId
        return response
    })
    router.add(middleware: FrontMiddleware(surface: SurfaceErrorMiddleware(known: known), edge: EdgeGuard(config: services.config),
                                           admin: AdminGuardMiddleware(config: services.config, console: consoleAccess),
                                           faults: FaultMiddleware(faults: control.faults)))
    // Every route is added through `routes`, which records it in the book the 405 answers read.
    let routes = RouteRegistrar(router: router, book: book)
    HealthRoutes(services: services, fixturesHash: fixturesHash, openAPIDocument: openAPIDocument).register(on: routes)
    OAuthRoutes(services: services).register(on: routes)
    LegalHoldAdminRoutes(services: services).register(on: routes)
    ControlRoutes(services: services, control: control).register(on: routes)
    RegistryRoutes(services: services).register(on: routes)
    TenantRoutes(services: services, control: control).register(on: routes)
    JobAdminRoutes(services: services).register(on: routes)
    Console(services: services, control: control, access: consoleAccess, renderer: try ConsoleRenderer(), s3Port: s3Port)
        .register(on: routes)
    DownloadRoutes(services: services).register(on: routes)
    let bearer = BearerAuthMiddleware(tokens: services.tokens, limiter: services.limiter, clock: services.clock)
    let api = routes.group("api/v2").add(middleware: bearer)
    ExportRoutes(services: services).register(on: api)
    RecordingJobRoutes(services: services).register(on: api)
    ConversationRoutes(services: services).register(on: api)
    AnalyticsRoutes(services: services).register(on: api)
    AnalyticsJobRoutes(services: services).register(on: api)
    BatchDownloadRoutes(services: services).register(on: api)
    RetentionRoutes(services: services).register(on: api)
    DeletionProtectionRoutes(services: services).register(on: api)
    IntegrationRoutes(services: services).register(on: api)
    book.registerWrongMethods(on: router.group("api/v2").add(middleware: bearer), prefix: "/api/v2")
    known.set(book.known)
    return router
}

/// Builds the server and runs it until SIGTERM/SIGINT (graceful: in-flight requests finish, the export worker
/// stops at an object boundary).
package func runServer(_ config: AppConfiguration, onReady: @escaping @Sendable (ReadyInfo) async -> Void) async throws {
    let app = try await buildApplication(config, onReady: onReady)
    try await app.runService()
}

import Logging

/// What the routes and services share; built once by `buildApplication`.
package struct AppServices: Sendable {
    package let config: AppConfiguration
    package let db: AppDatabase
    package let sink: FileSink
    package let clock: MockClock
    package let tokens: TokenService
    package let limiter: RateLimiter
    package let wake: WakeSignal
    package let engine: ExportEngine
    package let logger: Logger
}

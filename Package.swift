// swift-tools-version:6.2
import PackageDescription

import Foundation

/// CI builds the project's own targets (never the dependencies) with warnings as errors: a warning such as
/// "no 'async' operations occur within 'await' expression" is how a blocking database call shows, and it
/// must fail the build. `scripts/test` sets GENESYS_MOCK_STRICT=1; a plain `swift build` stays lenient so
/// that a newer compiler's new warnings never stop a user from running the mock.
let strict = ProcessInfo.processInfo.environment["GENESYS_MOCK_STRICT"] == "1"
/// `scripts/fuzz` sets GENESYS_MOCK_FUZZ=1 (in its own scratch path, .build-fuzz): our targets are then compiled with
/// libFuzzer's coverage and AddressSanitizer, and the `GenesysFuzz` executable (Fuzz/) is added. A normal build never
/// sees it: it links only with `-sanitize=fuzzer`.
let fuzz = ProcessInfo.processInfo.environment["GENESYS_MOCK_FUZZ"] == "1"
let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")] + (strict ? [.treatAllWarnings(as: .error)] : [])
    + (fuzz ? [.unsafeFlags(["-sanitize=fuzzer,address", "-enable-testing"])] : [])

let package = Package(
    name: "genesys-mock",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "genesys-mock", targets: ["GenesysMockCLI"])],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.25.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.4.0"),
    ],
    targets: [
        .target(
            name: "RecordingsDomain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings
        ),
        // The mock's own documents, read and written by hand (stored conversations, exported transcripts and
        // sidecars, manifests, custody files, audit records): one reader and one writer for each kind.
        .target(name: "DocumentCodecs", dependencies: ["RecordingsDomain"], swiftSettings: settings),
        // The store: the only target that imports GRDB or holds SQL. Everything else calls its async methods,
        // which take and return Sendable values; the module boundary makes that a compile error.
        .target(
            name: "MockStore",
            dependencies: [
                "RecordingsDomain",
                "DocumentCodecs",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "GenesysMock",
            dependencies: [
                "RecordingsDomain",
                "DocumentCodecs",
                "MockStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "GenesysMockCLI",
            dependencies: [
                "GenesysMock",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "RecordingsDomainTests", dependencies: ["RecordingsDomain", "DocumentCodecs"], swiftSettings: settings),
        .testTarget(
            name: "GenesysMockTests",
            dependencies: [
                "GenesysMock",
                "MockStore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: settings
        ),
    ]
)

if fuzz {
    package.targets.append(.executableTarget(
        name: "GenesysFuzz",
        dependencies: [
            "GenesysMock",
            "MockStore",
            "RecordingsDomain",
            "DocumentCodecs",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
        ],
        path: "Fuzz/Sources",
        swiftSettings: settings,
        linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]
    ))
}

// swift-tools-version:6.2
// A bare Hummingbird server with one route, the yardstick that scripts/bench_load.py measures genesys-mock
// against in the same run. Keep the Hummingbird requirement equal to the main package's; bench_load.py pins
// the resolved version to the one in the main Package.resolved before it builds.
import PackageDescription

let package = Package(
    name: "HelloReference",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "hello-reference", targets: ["hello-reference"])],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
    ],
    targets: [
        .executableTarget(
            name: "hello-reference",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
    ]
)

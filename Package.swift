// swift-tools-version:6.1
// Gazette: a newsletter digest generator. See ../README.md and docs/ for the architecture.
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode comes from the tools version;
/// these upcoming features keep existential types and imports explicit.
let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Gazette",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gazette", targets: ["gazette"]),
        // For the nested fuzzing package (Fuzz/Package.swift), which can see only products.
        .library(name: "FuzzChecks", targets: ["FuzzChecks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // MARK: System libraries (SQLite comes through GRDB's own `GRDBSQLite` system target,
        // which declares `libsqlite3-dev` as its apt provider.)
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // MARK: One module per stage of the data's journey
        .target(name: "GazetteModel", swiftSettings: strictness),
        .target(
            name: "FeedParsing",
            dependencies: ["GazetteModel", "CLibXML2", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictness
        ),
        .target(
            name: "FeedFetching",
            dependencies: ["GazetteModel", "FeedParsing", "CCurl"],
            swiftSettings: strictness
        ),
        .target(
            name: "GazetteStore",
            dependencies: [
                "GazetteModel", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the import's statements bound straight from the file's bytes.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictness
        ),
        .target(name: "DigestBuilding", dependencies: ["GazetteModel"], swiftSettings: strictness),
        // Pure: a returned message's bytes → what it is (bounce, complaint, unsubscribe, auto-reply).
        .target(name: "ReturnedMail", dependencies: ["GazetteModel"], swiftSettings: strictness),
        .target(
            name: "Mailing",
            dependencies: ["GazetteModel", "CCurl", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strictness
        ),
        .target(
            name: "GazetteApp",
            dependencies: [
                "GazetteModel", "FeedParsing", "FeedFetching", "GazetteStore", "DigestBuilding", "Mailing", "ReturnedMail",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictness
        ),
        .target(
            name: "GazetteWeb",
            dependencies: [
                "GazetteApp", "Mailing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        .target(
            name: "GazetteCLI",
            dependencies: [
                "GazetteApp", "GazetteWeb", "FeedParsing", "FeedFetching",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        .executableTarget(
            name: "gazette",
            dependencies: ["GazetteCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictness
        ),

        // MARK: Benchmarks (`make bench`)
        .executableTarget(
            name: "gazette-bench",
            dependencies: ["DigestBuilding", "FeedParsing", "GazetteModel", "GazetteApp", "GazetteStore", "FeedFetching", "Mailing"],
            path: "Benchmarks/GazetteBench",
            swiftSettings: strictness
        ),

        // MARK: Fuzzing: the invariants each fuzz target asserts. The libFuzzer executables live in
        // the nested package Fuzz/ (`make fuzz`), so `swift build` never needs `-sanitize=fuzzer`;
        // the test targets below replay the committed corpora through the same checks.
        .target(
            name: "FuzzChecks",
            dependencies: ["FeedParsing", "Mailing", "GazetteApp", "GazetteModel"],
            swiftSettings: strictness
        ),

        // MARK: Tests
        .target(
            name: "GazetteTestSupport",
            dependencies: ["GazetteApp", "FeedFetching"],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "FeedParsingTests",
            dependencies: ["FeedParsing", "GazetteTestSupport", "FuzzChecks"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "FeedFetchingTests",
            dependencies: ["FeedFetching", "GazetteTestSupport"],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GazetteStoreTests",
            dependencies: ["GazetteStore", "GazetteTestSupport"],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "DigestBuildingTests",
            dependencies: ["DigestBuilding", "GazetteTestSupport"],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "MailingTests",
            dependencies: ["Mailing", "GazetteTestSupport", "FuzzChecks"],
            // Golden files, read by path beside the test file (`Snapshot`), not bundled.
            exclude: ["Snapshots"],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "ReturnedMailTests",
            dependencies: ["ReturnedMail"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GazetteAppTests",
            dependencies: ["GazetteApp", "GazetteTestSupport", "FuzzChecks"],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GazetteWebTests",
            dependencies: ["GazetteWeb", "GazetteTestSupport"],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GazetteCLITests",
            dependencies: ["GazetteCLI", "GazetteTestSupport"],
            swiftSettings: strictness
        ),
    ]
)

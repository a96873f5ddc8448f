// swift-tools-version:6.1
// libFuzzer targets for Gazette (`make fuzz`; see docs/reliability.md). A package of its
// own so the main package's `swift build` and `make test` never build them: they only link
// with `-sanitize=fuzzer`, which supplies `main`. Each target is a thin entry point; the
// invariants live in the main package's `FuzzChecks`, which `make test` replays the
// committed corpora through.
import PackageDescription

let targets = ["FeedParser", "ArticleExtractor", "CSVReader", "MIMEWriter", "ConfigLoader"]

let package = Package(
    name: "GazetteFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Gazette", path: "..")],
    targets: targets.map { name in
        .executableTarget(
            name: "Fuzz\(name)",
            dependencies: [.product(name: "FuzzChecks", package: "Gazette")],
            path: "Sources/Fuzz\(name)",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    }
)

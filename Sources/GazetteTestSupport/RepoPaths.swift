import Foundation

/// Paths inside the Gazette repository, found from this source file, so tests use the real
/// sample site, templates and tools wherever the repository is cloned.
public enum RepoPaths {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // GazetteTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    public static var sampleSite: URL { root.appendingPathComponent("sample-site") }
    public static var templates: URL { root.appendingPathComponent("templates") }
    public static var tools: URL { root.appendingPathComponent("Tests/Tools") }
    public static var sampleSubscribers: URL { root.appendingPathComponent("subscribers/sample.csv") }
}

/// A fresh folder under the system's temporary directory, removed with `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "gazette-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

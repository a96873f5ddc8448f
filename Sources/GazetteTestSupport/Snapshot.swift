import Foundation
import Testing

/// Compares `actual` with the golden file `Snapshots/<name>` beside the calling test file.
/// `RECORD_SNAPSHOTS=1 swift test` writes the golden files instead; review the diff, then commit.
public func assertSnapshot(
    _ actual: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: file)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record(Comment(rawValue: "no golden file \(file.path); record it with RECORD_SNAPSHOTS=1"), sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        let expectedLines = expected.components(separatedBy: "\n")
        let actualLines = actual.components(separatedBy: "\n")
        let index = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = index < expectedLines.count ? expectedLines[index] : "<end>"
        let got = index < actualLines.count ? actualLines[index] : "<end>"
        let message = "\(name) differs from its golden file at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)\n"
            + "re-record with RECORD_SNAPSHOTS=1 if the change is intended"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}

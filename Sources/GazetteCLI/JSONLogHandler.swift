import Foundation
import Logging

/// `--log-format json`: one JSON object per line on standard error, for log collectors.
/// Counts stay numbers; nothing else is written to standard error in this mode (the
/// commands' own problem lines go through `line(level:message:)` too).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = Self.jsonValue(value)
        }
        let line = Self.line(level: event.level.rawValue, message: event.message.description, label: label, fields: fields)
        FileHandle.standardError.write(line)
    }

    /// One log line: `time`, `level`, `label`, `message` and the extra fields, keys sorted.
    static func line(level: String, message: String, label: String = "gazette", fields: [String: Any] = [:]) -> Data {
        var object = fields
        object["time"] = Date().formatted(.iso8601)
        object["level"] = level
        object["label"] = label
        object["message"] = message
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return Data() }
        line.append(0x0A)
        return line
    }

    /// Numbers logged as numbers stay numbers; everything else is text.
    static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let number as any BinaryInteger): return Int(clamping: number)
        case .stringConvertible(let number as Double): return number
        case .stringConvertible(let other): return other.description
        case .array(let values): return values.map(jsonValue)
        case .dictionary(let values): return values.mapValues(jsonValue)
        }
    }
}

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
    ///
    /// Written by hand rather than by `JSONSerialization`, which bridged each line through
    /// Foundation's dictionaries and was 6% of a newsroom run's CPU (a line per message sent).
    static func line(level: String, message: String, label: String = "gazette", fields: [String: Any] = [:]) -> Data {
        var object = fields
        object["time"] = RFC3339UTC.string(Date())
        object["level"] = level
        object["label"] = label
        object["message"] = message
        var line: [UInt8] = []
        line.reserveCapacity(message.utf8.count + 96)
        write(object, to: &line)
        line.append(0x0A)
        return Data(line)
    }

    /// A value of `jsonValue`'s kinds as compact JSON: objects with their keys sorted, a
    /// number that is not finite as null (JSON has no such number).
    static func write(_ value: Any, to output: inout [UInt8]) {
        switch value {
        case let text as String:
            JSONValue.string(text).write(to: &output)
        case let number as Int:
            output.append(contentsOf: String(number).utf8)
        case let number as Double:
            output.append(contentsOf: (number.isFinite ? String(number) : "null").utf8)
        case let values as [Any]:
            output.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case let members as [String: Any]:
            output.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.string(key).write(to: &output)
                output.append(UInt8(ascii: ":"))
                write(members[key] ?? "", to: &output)
            }
            output.append(UInt8(ascii: "}"))
        default:
            JSONValue.string(String(describing: value)).write(to: &output)
        }
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

import Logging

/// A swift-log handler whose lines read exactly as `StreamLogHandler`'s
/// (`TIME LEVEL LABEL: key=value ... [SOURCE] message`, keys sorted), but cost
/// the logging thread one formatted append to a `LogLineWriter` instead of a
/// write(2) and a round of string building: serve logs every DHCP decision and
/// every transfer, and at boot-storm rates the stream handler was a third of
/// the DHCP path's time.
public struct BufferedLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let writer: LogLineWriter

    public init(label: String, writer: LogLineWriter = .standardError, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.writer = writer
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { merged.merge(provided) { $1 } }
        if let explicit = event.metadata, !explicit.isEmpty {
            if merged.isEmpty { merged = explicit } else { merged.merge(explicit) { $1 } }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let pairs = merged.sorted { $0.key < $1.key }
        let level = event.level.rawValue
        let message = event.message.description
        let source = event.source
        writer.append { line, stamp in
            line += stamp
            line.append(UInt8(ascii: " "))
            line += level.utf8
            if !label.isEmpty {
                line.append(UInt8(ascii: " "))
                line += label.utf8
            }
            line.append(UInt8(ascii: ":"))
            for (key, value) in pairs {
                line.append(UInt8(ascii: " "))
                line += key.utf8
                line.append(UInt8(ascii: "="))
                Self.append(value, to: &line)
            }
            line += " [".utf8
            line += source.utf8
            line += "] ".utf8
            line += message.utf8
            line.append(UInt8(ascii: "\n"))
        }
    }

    private static func append(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        switch value {
        case .string(let text): line += text.utf8
        case .stringConvertible(let convertible): line += convertible.description.utf8
        default: line += value.description.utf8
        }
    }
}

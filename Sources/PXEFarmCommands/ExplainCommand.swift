import ArgumentParser
import NetbootWire

/// `pxefarm explain HEX`: a PXE option 43 value in words.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Describe a PXE option 43 (vendor-encapsulated-options) value in words.",
        discussion: """
            Takes the bytes as colon-, space- or unseparated hex, with or without 0x, \
            as dhcpd.conf, Kea or a packet dump writes them. Prints one line per \
            sub-option; malformed parts are marked with their byte offset, and the \
            exit status is then 1.
            """)

    @Argument(help: "The option 43 bytes in hex, e.g. 06:01:03:08:07:00:0d:01:c0:a8:c5:0c:ff (several arguments are joined).")
    var hex: [String]

    func run() throws {
        let report = Self.report(for: hex.joined(separator: " "))
        for line in report.lines { print(line) }
        if let problem = report.problem {
            Console.error("pxefarm explain: \(problem)")
            throw ExitCode.failure
        }
    }

    /// What `run` prints, and the error line when the input is malformed.
    static func report(for text: String) -> (lines: [String], problem: String?) {
        let bytes: [UInt8]
        do {
            bytes = try HexBytes.parse(text)
        } catch {
            return ([], "not hex: \(error)")
        }
        let description = PXEOptionDescriber.describe(bytes)
        return (["option 43, \(bytes.count) bytes:"] + description.lines.map { "  " + $0 },
                description.hasProblems ? "malformed option 43 (see the lines marked malformed)" : nil)
    }
}

import FarmModel

/// The whole import: dhcpd.conf text (and pxe.conf text) in, a farm and its
/// farm file text out, with warnings. Reading files and writing the result
/// are the caller's (`pxefarm import`).
public enum FarmImport {
    public struct Source: Sendable {
        public var text: String
        /// The name shown in messages, usually the path.
        public var file: String

        public init(text: String, file: String) {
            self.text = text
            self.file = file
        }
    }

    public struct Result: Sendable {
        public var imported: ImportedFarm
        public var farmFile: String
        public var warnings: [Diagnostic] { imported.warnings }
    }

    public static func run(dhcpd: Source, pxeConf: Source?, name: String? = nil) throws(ImportError) -> Result {
        let (config, dhcpdWarnings) = try DHCPDConfigReader.read(dhcpd.text, file: dhcpd.file)
        var pxe: PXEBootServerSettings?
        if let pxeConf {
            pxe = try PXEBootServerSettings.read(try PXEConf.parse(pxeConf.text, file: pxeConf.file))
        }
        var imported = try FarmImporter.makeFarm(dhcpd: config, pxe: pxe, dhcpdFile: dhcpd.file, name: name)
        imported.warnings = dhcpdWarnings + imported.warnings
        let sources = [dhcpd.file, pxeConf?.file].compactMap { $0 }.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        return Result(imported: imported, farmFile: FarmFileWriter.text(imported, sources: sources))
    }
}

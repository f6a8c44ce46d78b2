import Foundation
import FarmImport
import FarmModel
import NetbootWire
import TestSupport

/// Fixtures, the repository's templates, and what a dhcpd.conf says about
/// its hosts, for comparing an original with its re-rendering.
enum ImportFixtures {
    static let directory = GoldenFile.fixtures()
    static let repository = GoldenFile.repository()
    static let templates = GoldenFile.templates()

    static func source(_ name: String) throws -> FarmImport.Source {
        FarmImport.Source(text: try GoldenFile.read(directory + "/" + name), file: name)
    }

    static func importReference(_ dhcpd: String, pxeConf: String? = nil) throws -> FarmImport.Result {
        try FarmImport.run(dhcpd: source(dhcpd), pxeConf: pxeConf.map(source))
    }
}

/// What one host block tells a client, independent of spelling: option 60
/// by value only (its name changed between dhcpd 2 and 3), option 43 decoded.
struct HostSaid: Hashable, CustomStringConvertible {
    var name: String
    var mac: MACAddress?
    var ip: IPv4Address?
    var classIdentifier: String?
    var nextServer: IPv4Address?
    var filename: String?
    var rootPath: String?
    var vendorOptions: PXEVendorOptions?

    init(_ host: DHCPDHost) {
        name = host.name
        mac = host.mac
        ip = host.fixedAddress
        classIdentifier = host.parameters.classIdentifier?.value
        nextServer = host.parameters.nextServer
        filename = host.parameters.filename
        rootPath = host.parameters.rootPath
        vendorOptions = host.parameters.vendorOptions?.decoded
    }

    /// The fields in which `other` says something else.
    func differences(from other: HostSaid) -> Set<String> {
        var fields: Set<String> = []
        if name != other.name { fields.insert("name") }
        if mac != other.mac { fields.insert("mac") }
        if ip != other.ip { fields.insert("ip") }
        if classIdentifier != other.classIdentifier { fields.insert("class-identifier") }
        if nextServer != other.nextServer { fields.insert("next-server") }
        if filename != other.filename { fields.insert("filename") }
        if rootPath != other.rootPath { fields.insert("root-path") }
        if vendorOptions != other.vendorOptions { fields.insert("option 43") }
        return fields
    }

    var description: String {
        "\(name) \(mac.map { "\($0)" } ?? "-") \(ip.map { "\($0)" } ?? "-") next-server \(nextServer.map { "\($0)" } ?? "-") filename \(filename ?? "-") root-path \(rootPath ?? "-")"
    }
}

import FarmModel
import NetbootWire

/// What a pxe.conf says that a farm file carries: the boot server, discovery
/// (option 43 tags 6, 7, 8, 10), the service types, their menu (tag 9) and
/// boot file layers. nil: the section is absent or empty.
public struct PXEBootServerSettings: Hashable, Sendable {
    public struct ServiceType: Hashable, Sendable {
        public var type: UInt16
        public var name: String
        public var location: SourceLocation
    }

    public struct ImageFile: Hashable, Sendable {
        public var layers: ClosedRange<Int>
        public var baseName: String
        public var location: SourceLocation
    }

    public var ourIPAddress: IPv4Address?
    public var tftpRoot: String?
    /// 0: dhcpd runs on the same machine; 1: elsewhere.
    public var useDHCPPort: Bool?
    public var startProxy: Bool?
    public var broadcastDisabled: Bool?
    public var multicastDisabled: Bool?
    public var multicastAddress: IPv4Address?
    public var prompt: Prompt?
    public var serverListOnly: Bool?
    public var discoveryList: [PXEBootServerList]
    public var serviceTypes: [ServiceType]
    /// `X86PC/UNDI/MENU`, in its order.
    public var menu: [PXEMenuItem]
    /// `X86PC/UNDI/<service>/ImageFile_Name`, by service name.
    public var imageFiles: [String: ImageFile]
    public var domain: String?
    /// Where each section starts, by lower-cased name, for messages.
    public var sectionLocations: [String: SourceLocation] = [:]

    /// Reads the sections of the reference (digest §2); others are not a farm's business.
    public static func read(_ conf: PXEConf) throws(ImportError) -> PXEBootServerSettings {
        var settings = PXEBootServerSettings(discoveryList: [], serviceTypes: [], menu: [], imageFiles: [:])
        for section in conf.sections { settings.sectionLocations[section.name.lowercased()] = section.location }
        settings.ourIPAddress = try address(conf, "OurIpAddress")
        settings.tftpRoot = conf.section("Mtftpd_Root_Directory")?.lines.first?.text
        settings.useDHCPPort = try flag(conf, "UseDHCPPort")
        settings.startProxy = try flag(conf, "StartProxy")
        settings.broadcastDisabled = try flag(conf, "Discovery_BCast_Disabled")
        settings.multicastDisabled = try flag(conf, "Discovery_MCast_Disabled")
        settings.multicastAddress = try address(conf, "Discovery_MCast_Addr")
        settings.serverListOnly = try flag(conf, "Discovery_Server_List_Only")
        settings.domain = conf.section("Domain")?.lines.first?.text
        if let line = conf.section("Prompt")?.lines.first {
            let parts = line.text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let timeout = UInt8(parts[0].trimmingSpaces) else {
                throw ImportError("[Prompt] must be timeout,text with a timeout of 0-255, such as 10,Press F8 to view menu ...", at: line.location)
            }
            settings.prompt = Prompt(timeout: timeout, text: String(parts[1]))
        }
        for line in conf.section("Discovery_List")?.lines ?? [] {
            let fields = line.text.split(separator: ",").map(\.trimmingSpaces)
            guard fields.count >= 2, let type = UInt16(fields[0]), let count = Int(fields[1]), fields.count == 2 + count else {
                throw ImportError("[Discovery_List] line must be type,count,address,... with count addresses", at: line.location)
            }
            var servers: [IPv4Address] = []
            for field in fields.dropFirst(2) {
                guard let server = IPv4Address(field) else { throw ImportError("[Discovery_List]: \"\(field)\" is not an IPv4 address", at: line.location) }
                servers.append(server)
            }
            settings.discoveryList.append(PXEBootServerList(type: type, servers: servers))
        }
        for line in conf.section("Service_Types")?.lines ?? [] {
            let (type, text) = try typed(line, section: "Service_Types")
            settings.serviceTypes.append(ServiceType(type: type, name: text, location: line.location))
        }
        for line in conf.section("X86PC/UNDI/MENU")?.lines ?? [] {
            let (type, text) = try typed(line, section: "X86PC/UNDI/MENU")
            settings.menu.append(PXEMenuItem(type: type, text: text))
        }
        let prefix = "x86pc/undi/", suffix = "/imagefile_name"
        for section in conf.sections where section.name.lowercased().hasPrefix(prefix) && section.name.lowercased().hasSuffix(suffix) {
            let service = String(section.name.dropFirst(prefix.count).dropLast(suffix.count))
            let lines = section.lines
            guard lines.count == 3, let low = Int(lines[0].text), let high = Int(lines[1].text), low <= high else {
                throw ImportError("[\(section.name)] must have three lines: min layer, max layer, base file name", at: section.location)
            }
            settings.imageFiles[service] = ImageFile(layers: low...high, baseName: lines[2].text, location: section.location)
        }
        return settings
    }

    /// `TYPE,TEXT`.
    static func typed(_ line: PXEConf.Line, section: String) throws(ImportError) -> (UInt16, String) {
        let parts = line.text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let type = UInt16(parts[0].trimmingSpaces), !parts[1].isEmpty else {
            throw ImportError("[\(section)] line must be type,text with a type of 0-65535", at: line.location)
        }
        return (type, String(parts[1]))
    }

    static func flag(_ conf: PXEConf, _ name: String) throws(ImportError) -> Bool? {
        guard let line = conf.section(name)?.lines.first else { return nil }
        switch line.text {
        case "0": return false
        case "1": return true
        default: throw ImportError("[\(name)] must be 0 or 1, not \"\(line.text)\"", at: line.location)
        }
    }

    static func address(_ conf: PXEConf, _ name: String) throws(ImportError) -> IPv4Address? {
        guard let line = conf.section(name)?.lines.first else { return nil }
        guard let address = IPv4Address(line.text) else {
            throw ImportError("[\(name)]: \"\(line.text)\" is not an IPv4 address", at: line.location)
        }
        return address
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

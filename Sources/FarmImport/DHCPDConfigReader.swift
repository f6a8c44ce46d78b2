import FarmModel
import NetbootWire

/// Gives dhcpd.conf statements their meaning for a farm: subnets, hosts and
/// the parameters they inherit through `shared-network`, `subnet` and
/// `group`. Malformed values that matter (a MAC, an address, option 43) stop
/// the import with their position; statements a farm does not carry are
/// skipped with a warning naming their line.
public struct DHCPDConfigReader {
    public private(set) var warnings: [Diagnostic] = []
    private var config = DHCPDConfig()

    /// Statements that configure the DHCP server itself, not the farm: skipped quietly.
    static let serverStatements: Set<String> = [
        "authoritative", "not", "ddns-update-style", "ddns-updates", "log-facility", "allow", "deny", "ignore",
        "one-lease-per-client", "ping-check", "ping-timeout", "use-host-decl-names", "get-lease-hostnames",
        "lease-file-name", "pid-file-name", "local-port", "local-address", "server-identifier", "boot-unknown-clients",
        "min-lease-time", "dynamic-bootp-lease-length", "dynamic-bootp-lease-cutoff", "always-reply-rfc1048", "always-broadcast",
    ]

    public init() {}

    /// Reads dhcpd.conf text; `file` names it in messages.
    public static func read(_ text: String, file: String) throws(ImportError) -> (config: DHCPDConfig, warnings: [Diagnostic]) {
        var reader = DHCPDConfigReader()
        let statements = try DHCPDParser.parse(text, file: file)
        try reader.readScope(statements, inherited: DHCPDParameters(), isGlobal: true)
        return (reader.config, reader.warnings)
    }

    /// One scope's statements: its own parameters first (dhcpd applies a scope's
    /// parameters to every declaration in it, wherever they are written), then
    /// the declarations inside with those parameters inherited.
    @discardableResult
    mutating func readScope(_ statements: [DHCPDStatement], inherited: DHCPDParameters, isGlobal: Bool) throws(ImportError) -> DHCPDParameters {
        var own = DHCPDParameters()
        for statement in statements where statement.block == nil {
            try readParameter(statement, into: &own)
        }
        let parameters = inherited.overridden(by: own)
        if isGlobal { config.global = own }
        for statement in statements {
            guard let block = statement.block else { continue }
            switch statement.keyword {
            case "subnet":
                let subnet = try readSubnetHeader(statement)
                var ranges: [String] = []
                for inner in block where inner.block == nil && inner.keyword == "range" {
                    ranges.append(inner.arguments.map(\.text).joined(separator: " "))
                }
                let subnetParameters = try readScope(block, inherited: parameters, isGlobal: false)
                config.subnets.append(DHCPDSubnet(subnet: subnet, parameters: subnetParameters, dynamicRanges: ranges, location: statement.location))
            case "shared-network", "group":
                try readScope(block, inherited: parameters, isGlobal: false)
            case "host":
                try readHost(statement, block: block, inherited: parameters)
            case "class", "subclass", "pool", "if", "elsif", "else", "failover", "key", "zone":
                warn(statement, "'\(statement.keyword)' block skipped: a farm file has no \(statement.keyword) blocks")
            default:
                warn(statement, "unknown block '\(statement.keyword)' skipped")
            }
        }
        return parameters
    }

    mutating func readSubnetHeader(_ statement: DHCPDStatement) throws(ImportError) -> IPv4Subnet {
        let words = Array(statement.arguments)
        guard words.count == 3, words[1].text.lowercased() == "netmask" else {
            throw ImportError("expected 'subnet NETWORK netmask MASK {'", at: statement.location)
        }
        let network = try Self.address(words[0], what: "subnet network")
        let mask = try Self.address(words[2], what: "netmask")
        let length = mask.value.nonzeroBitCount
        guard mask.value == (length == 0 ? 0 : UInt32.max << (32 - length)) else {
            throw ImportError("netmask \(mask) is not contiguous ones then zeros", at: words[2].location)
        }
        guard let subnet = IPv4Subnet(network: network, prefixLength: length) else {
            throw ImportError("subnet \(network) has host bits set for netmask \(mask)", at: words[0].location)
        }
        return subnet
    }

    mutating func readHost(_ statement: DHCPDStatement, block: [DHCPDStatement], inherited: DHCPDParameters) throws(ImportError) {
        guard statement.arguments.count == 1, let nameToken = statement.arguments.first else {
            throw ImportError("expected 'host NAME {'", at: statement.location)
        }
        var host = DHCPDHost(name: nameToken.text, location: statement.location)
        var own = DHCPDParameters()
        for inner in block {
            if inner.block != nil {
                warn(inner, "'\(inner.keyword)' block inside host \(host.name) skipped")
                continue
            }
            switch inner.keyword {
            case "hardware":
                let words = Array(inner.arguments)
                guard words.count == 2, words[0].text.lowercased() == "ethernet" else {
                    throw ImportError("expected 'hardware ethernet MAC;'", at: inner.location)
                }
                guard let mac = Self.mac(words[1].text) else {
                    throw ImportError("hardware ethernet: \"\(words[1].text)\" is not a MAC address (six hex bytes such as 00:D0:B7:1B:12:ED)", at: words[1].location)
                }
                host.mac = mac
            case "fixed-address":
                guard let first = inner.arguments.first else { throw ImportError("fixed-address needs an address", at: inner.location) }
                host.fixedAddress = try Self.address(first, what: "fixed-address")
                if inner.arguments.count > 1 {
                    warn(inner, "host \(host.name) has several fixed addresses; only the first, \(first.text), is imported")
                }
            default:
                try readParameter(inner, into: &own)
            }
        }
        host.parameters = inherited.overridden(by: own)
        config.hosts.append(host)
    }

    /// One parameter or option statement.
    mutating func readParameter(_ statement: DHCPDStatement, into parameters: inout DHCPDParameters) throws(ImportError) {
        let words = Array(statement.arguments)
        switch statement.keyword {
        case "option":
            try readOption(statement, into: &parameters)
        case "next-server":
            parameters.nextServer = try Self.address(try Self.single(statement), what: "next-server")
        case "filename":
            parameters.filename = try Self.single(statement).text
        case "default-lease-time":
            parameters.defaultLeaseTime = try Self.seconds(statement)
        case "max-lease-time":
            parameters.maxLeaseTime = try Self.seconds(statement)
        case "range":
            break // read with its subnet
        case "hardware", "fixed-address":
            warn(statement, "'\(statement.keyword)' outside a host block skipped")
        case _ where Self.serverStatements.contains(statement.keyword):
            break
        default:
            let said = ([statement.keyword] + words.map(\.quoted)).joined(separator: " ")
            warn(statement, "unknown statement '\(said)' skipped")
        }
    }

    mutating func readOption(_ statement: DHCPDStatement, into parameters: inout DHCPDParameters) throws(ImportError) {
        let words = Array(statement.arguments)
        guard let nameToken = words.first else { throw ImportError("'option' needs a name", at: statement.location) }
        let name = nameToken.text.lowercased()
        let values = Array(words.dropFirst())
        func value() throws(ImportError) -> DHCPDToken {
            guard values.count == 1 else { throw ImportError("option \(name) takes one value", at: nameToken.location) }
            return values[0]
        }
        switch name {
        case "domain-name":
            parameters.domainName = try value().text
        case "routers":
            parameters.routers = try Self.addressList(values, what: name, at: nameToken)
        case "domain-name-servers":
            parameters.domainNameServers = try Self.addressList(values, what: name, at: nameToken)
        case "broadcast-address":
            parameters.broadcastAddress = try Self.address(try value(), what: name)
        case "root-path":
            parameters.rootPath = try value().text
        case "dhcp-class-identifier", "vendor-class-identifier":
            parameters.classIdentifier = DHCPDClassIdentifier(value: try value().text, optionName: name)
        case "vendor-encapsulated-options":
            parameters.vendorOptions = try VendorOptionsText.read(values, option: nameToken)
        case "next-server":
            // Not an option in any dhcpd: the reference deployment wrote it this way.
            warn(statement, "'option next-server' is read as the 'next-server' statement it means")
            parameters.nextServer = try Self.address(try value(), what: "next-server")
        case "subnet-mask", "host-name":
            break // the subnet and the host block say these
        default:
            warn(statement, "option \(name) is not carried into the farm file; skipped")
        }
    }

    mutating func warn(_ statement: DHCPDStatement, _ message: String) {
        warnings.append(Diagnostic(.warning, FieldPath(), message, at: statement.location))
    }

    /// `00:D0:B7:1B:12:ED`, or with the one-digit groups dhcpd itself writes (`0:d0:b7:1b:12:ed`).
    static func mac(_ text: String) -> MACAddress? {
        if let mac = MACAddress(text) { return mac }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count == 6, groups.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return nil }
        return MACAddress(bytes: groups.compactMap { UInt8($0, radix: 16) })
    }

    static func single(_ statement: DHCPDStatement) throws(ImportError) -> DHCPDToken {
        guard statement.arguments.count == 1, let token = statement.arguments.first else {
            throw ImportError("\(statement.keyword) takes one value", at: statement.location)
        }
        return token
    }

    static func seconds(_ statement: DHCPDStatement) throws(ImportError) -> Int {
        let token = try single(statement)
        guard let value = Int(token.text), value >= 0 else {
            throw ImportError("\(statement.keyword): \"\(token.text)\" is not a number of seconds", at: token.location)
        }
        return value
    }

    static func address(_ token: DHCPDToken, what: String) throws(ImportError) -> IPv4Address {
        guard token.kind == .word, let address = IPv4Address(token.text) else {
            throw ImportError("\(what): \"\(token.text)\" is not an IPv4 address (host names are not resolved on import)", at: token.location)
        }
        return address
    }

    /// `a, b, c`: addresses separated by commas.
    static func addressList(_ tokens: [DHCPDToken], what: String, at name: DHCPDToken) throws(ImportError) -> [IPv4Address] {
        var addresses: [IPv4Address] = []
        var expectAddress = true
        for token in tokens {
            if expectAddress {
                addresses.append(try address(token, what: what))
            } else if token.kind != .comma {
                throw ImportError("\(what): expected ',' between addresses, found \"\(token.text)\"", at: token.location)
            }
            expectAddress.toggle()
        }
        guard !addresses.isEmpty, !expectAddress else { throw ImportError("\(what): expected a list of addresses", at: name.location) }
        return addresses
    }
}

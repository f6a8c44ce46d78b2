import Testing
import FarmImport
import FarmModel

/// Broken configurations: a clear message at FILE:LINE:COL, nothing imported.
@Suite struct BadInputTests {
    static let subnet = """
        subnet 192.168.197.0 netmask 255.255.255.0 {
          option domain-name "dc2.kek.jp";
        }

        """

    static func failure(_ text: String, pxeConf: String? = nil) -> ImportError? {
        do {
            _ = try FarmImport.run(dhcpd: .init(text: text, file: "dhcpd.conf"), pxeConf: pxeConf.map { .init(text: $0, file: "pxe.conf") })
            return nil
        } catch {
            return error
        }
    }

    @Test func unterminatedBlockNamesItsOpeningLine() throws {
        let error = try #require(Self.failure(Self.subnet + "host n011 {\n  hardware ethernet 00:D0:B7:1B:12:ED;\n  fixed-address 192.168.197.31;\n"))
        #expect(error.description == "dhcpd.conf:4:1: error: unterminated block 'host n011 {': the file ends before its closing '}'")
    }

    @Test func missingSemicolonBeforeClosingBrace() throws {
        let error = try #require(Self.failure(Self.subnet + "host n011 {\n  fixed-address 192.168.197.31\n}\n"))
        #expect(error.description == "dhcpd.conf:5:3: error: missing ';' after 'fixed-address 192.168.197.31' before '}'")
    }

    @Test func strayClosingBrace() throws {
        let error = try #require(Self.failure(Self.subnet + "}\n"))
        #expect(error.description == "dhcpd.conf:4:1: error: '}' without a block to close")
    }

    @Test func unterminatedString() throws {
        let error = try #require(Self.failure("option domain-name \"dc2.kek.jp;\n"))
        #expect(error.description == "dhcpd.conf:1:20: error: unterminated string: the closing quote is missing on this line")
    }

    @Test func badMACNamesTheValue() throws {
        let error = try #require(Self.failure(Self.subnet + "host n011 {\n  hardware ethernet 00:D0:B7:1B:12;\n  fixed-address 192.168.197.31;\n  next-server 192.168.197.11;\n}\n"))
        #expect(error.description == "dhcpd.conf:5:21: error: hardware ethernet: \"00:D0:B7:1B:12\" is not a MAC address (six hex bytes such as 00:D0:B7:1B:12:ED)")
    }

    @Test func badAddressNamesTheValue() throws {
        let error = try #require(Self.failure(Self.subnet + "host n011 {\n  fixed-address 192.168.197.310;\n}\n"))
        #expect(error.description.hasPrefix("dhcpd.conf:5:17: error: fixed-address: \"192.168.197.310\" is not an IPv4 address"))
    }

    /// Not hex: the character's own line and column, and the byte it would have been.
    @Test func malformedHexInOption43() throws {
        let text = Self.subnet + "host n011 {\n  option vendor-encapsulated-options\n    06:01:00:\n    07:04:e0:0g:01:02:ff;\n}\n"
        let error = try #require(Self.failure(text))
        #expect(error.description == "dhcpd.conf:7:14: error: vendor-encapsulated-options: \"0g\" is not a hex byte (byte 6 of option 43)")
    }

    /// Well-formed hex that is not PXE: the codec's decode error and its
    /// byte offset, placed at that byte in the file.
    @Test func option43DecodeErrorIsPlacedAtTheOffendingByte() throws {
        // Tag 7 (4 bytes by definition) says 3: the codec names its length byte, byte 4.
        let text = Self.subnet + "host n011 {\n  option vendor-encapsulated-options\n    06:01:00:\n    07:03:e0:00:01:ff;\n}\n"
        let error = try #require(Self.failure(text))
        #expect(error.location == SourceLocation(file: "dhcpd.conf", line: 7, column: 8))
        #expect(error.message == "vendor-encapsulated-options (option 43) is not valid PXE: byte 4: tag 7 (multicast discovery address) is 3 bytes long; it must be 4")
    }

    @Test func noSubnetIsRefused() throws {
        let error = try #require(Self.failure("host n011 { hardware ethernet 00:D0:B7:1B:12:ED; fixed-address 192.168.197.31; next-server 192.168.197.11; }\n"))
        #expect(error.description.hasPrefix("dhcpd.conf:1:1: error: no 'subnet NETWORK netmask MASK { }' declaration"))
    }

    @Test func badPXEConfPrompt() throws {
        let error = try #require(Self.failure(Self.subnet, pxeConf: "# comment\n[Prompt]\nsoon,Press F8\n[End]\n"))
        #expect(error.description.hasPrefix("pxe.conf:3:1: error: [Prompt] must be timeout,text"))
    }

    @Test func pxeConfValueBeforeAnySection() throws {
        let error = try #require(Self.failure(Self.subnet, pxeConf: "eth0\n[End]\n"))
        #expect(error.description == "pxe.conf:1:1: error: \"eth0\" comes before the first [Section] header")
    }

    /// Unknown statements are skipped with a warning naming their line; the import goes on.
    @Test func unknownStatementWarnsAndIsSkipped() throws {
        let text = Self.subnet + "frobnicate 12;\nhost n011 {\n  hardware ethernet 00:D0:B7:1B:12:ED;\n  fixed-address 192.168.197.31;\n  next-server 192.168.197.11;\n  option ntp-servers 192.168.197.11;\n}\n"
        let result = try FarmImport.run(dhcpd: .init(text: text, file: "dhcpd.conf"), pxeConf: nil)
        let warnings = result.warnings.map(\.description)
        #expect(warnings.contains("dhcpd.conf:4:1: warning: unknown statement 'frobnicate 12' skipped"))
        #expect(warnings.contains("dhcpd.conf:9:3: warning: option ntp-servers is not carried into the farm file; skipped"))
        #expect(result.imported.farm.nodes.map(\.name) == ["n011"])
    }
}

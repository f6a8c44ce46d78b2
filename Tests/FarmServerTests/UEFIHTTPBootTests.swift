import Foundation
import Logging
import NetbootWire
import Testing
@testable import FarmServer

/// UEFI HTTP Boot: the route to boot files and the offer's URL and option 60
/// (the files themselves: HTTPBootFileTests).
@Suite struct UEFIHTTPBootTests {
    typealias T = DHCPTestFarm

    @Test func bootFileRoutesAreCheckedLikeTFTPNames() throws {
        #expect(try HTTPRoute.parse(method: "GET", target: "/EFI/X64/linux-boot/linux.0") == .bootFile(path: "EFI/X64/linux-boot/linux.0"))
        #expect(try HTTPRoute.parse(method: "HEAD", target: "http://10.0.0.1:8067/grub/grub.cfg?x=1") == .bootFile(path: "grub/grub.cfg"))
        #expect(try HTTPRoute.parse(method: "GET", target: "/X86PC/UNDI/b/linux.2") == .bootFile(path: "X86PC/UNDI/b/linux.2"))
        // shim booted over HTTP asks for grubx64.efi with a doubled slash.
        #expect(try HTTPRoute.parse(method: "GET", target: "/EFI/X64/linux-boot//grubx64.efi") == .bootFile(path: "EFI/X64/linux-boot/grubx64.efi"))
        for (target, reason) in [("/EFI/X64/%2e%2e/x", "dot-segment"), ("/EFI/X64/a%00b", "bad-segment"), ("/EFI/%2fetc", "bad-segment")] {
            #expect(throws: HTTPRefusal.self, "\(target)") { try HTTPRoute.parse(method: "GET", target: target) }
            do { _ = try HTTPRoute.parse(method: "GET", target: target) } catch { #expect(error.reason == reason, "\(target)") }
        }
        do { _ = try HTTPRoute.parse(method: "POST", target: "/EFI/X64/b/linux.0") } catch { #expect(error.status == 405) }
        do { _ = try HTTPRoute.parse(method: "GET", target: "/EFI") } catch { #expect(error.status == 404) }
    }

    static func httpClient(_ type: DHCPMessageType, code: UInt8 = 16) -> DHCPPacket {
        T.packet(type, mac: T.n011, pxe: false, extra: [
            T.option(60, Array("HTTPClient:Arch:000\(code):UNDI:003001".utf8)), T.option(93, [0, code]),
        ])
    }

    @Test func anHTTPBootClientIsOfferedAnAbsoluteURLAndHTTPClient() throws {
        let files: Set<String> = ["EFI/X64/linux-boot/linux.0", "EFI/AA64/linux-boot/linux.0"]
        let context = DHCPContext(farm: T.farm(), serverAddress: T.server, bootFiles: BootFileCatalog(files: files), httpPort: 8067)
        let offer = try #require(DHCPPolicy.decide(T.request(Self.httpClient(.discover)), context: context, mode: .full).replyValue)
        #expect(offer.packet.bootFile == "http://192.168.197.11:8067/EFI/X64/linux-boot/linux.0")
        #expect(offer.packet.options.data(60) == Array("HTTPClient".utf8))
        #expect(offer.packet.options.data(43) == nil)
        #expect(offer.reason.contains("reads no configuration after HTTP Boot: efi: ipxe boots such nodes"))
        let arm = try #require(DHCPPolicy.decide(T.request(Self.httpClient(.discover, code: 19)), context: context, mode: .full).replyValue)
        #expect(arm.packet.bootFile == "http://192.168.197.11:8067/EFI/AA64/linux-boot/linux.0")
        // On HTTP's own port the URL says none: GRUB 2.06 parses no port.
        let port80 = DHCPContext(farm: T.farm(), serverAddress: T.server, bootFiles: BootFileCatalog(files: files), httpPort: 80)
        let plain = try #require(DHCPPolicy.decide(T.request(Self.httpClient(.discover)), context: port80, mode: .full).replyValue)
        #expect(plain.packet.bootFile == "http://192.168.197.11/EFI/X64/linux-boot/linux.0")
        #expect(port80.httpOrigin == "http://192.168.197.11")
        #expect(context.httpOrigin == "http://192.168.197.11:8067")
        // No listener: the address, but no boot file, and the log says why.
        let without = DHCPContext(farm: T.farm(), serverAddress: T.server, bootFiles: BootFileCatalog(files: files), httpPort: nil)
        let bare = try #require(DHCPPolicy.decide(T.request(Self.httpClient(.discover)), context: without, mode: .full).replyValue)
        #expect(bare.packet.file.isEmpty)
        #expect(bare.reason.hasSuffix("no boot file: x86-64 UEFI HTTP Boot (option 93 = 16) and serve runs no HTTP listener (--no-http) to boot it from"))
        // A URL that does not fit the 128-byte file field is refused, not cut
        // (a validated farm's names are too short for that: this one is not validated).
        var farm = T.farm()
        let long = String(repeating: "s", count: 100)
        farm.services[2].name = long
        farm.nodes[0].service = long
        let tooLong = DHCPContext(farm: farm, serverAddress: T.server, bootFiles: BootFileCatalog(files: ["EFI/X64/\(long)/linux.0"]), httpPort: 8067)
        let refused = try #require(DHCPPolicy.decide(T.request(Self.httpClient(.discover)), context: tooLong, mode: .full).replyValue)
        #expect(refused.packet.file.isEmpty)
        #expect(refused.reason.contains("bytes; the file field holds 127"))
    }
}

import Foundation
import Logging
import NetbootWire
import NIOPosix
import Testing
@testable import FarmServer

/// UEFI HTTP Boot: the route to boot files, the files under TFTP's path
/// policy (overlay first), the offer's URL and option 60, and a real fetch
/// with curl from the listener on 127.0.0.1.
@Suite(.timeLimit(.minutes(2))) struct HTTPBootFileTests {
    typealias T = DHCPTestFarm

    /// A TFTP root with a boot program, a link inside it and one out of it.
    final class Tree {
        let root = NSTemporaryDirectory() + "pxefarm-httpboot-" + UUID().uuidString
        let program: [UInt8] = [0x4D, 0x5A] + (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

        init() throws {
            let manager = FileManager.default
            try manager.createDirectory(atPath: root + "/EFI/X64/linux-boot", withIntermediateDirectories: true)
            try manager.createDirectory(atPath: root + "/X86PC/UNDI/linux-boot", withIntermediateDirectories: true)
            try Data(program).write(to: URL(fileURLWithPath: root + "/EFI/X64/linux-boot/linux.0"))
            try Data("kernel".utf8).write(to: URL(fileURLWithPath: root + "/X86PC/UNDI/linux-boot/linux.1"))
            try manager.createSymbolicLink(atPath: root + "/EFI/X64/linux-boot/linux.1", withDestinationPath: "../../../X86PC/UNDI/linux-boot/linux.1")
            try manager.createSymbolicLink(atPath: root + "/EFI/X64/linux-boot/passwd", withDestinationPath: "/etc/passwd")
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

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

    @Test func filesAreServedUnderThePathPolicyOverlayFirst() throws {
        let tree = try Tree()
        let overlay = TFTPOverlay()
        overlay.replace(with: ["grub/grub.cfg-01-00-d0-b7-1b-12-ed": Array("one-shot\n".utf8)])
        let files = HTTPBootFiles(root: tree.root, overlay: overlay)
        let program = files.answer("EFI/X64/linux-boot/linux.0")
        #expect(program.status == 200 && program.body == tree.program && program.contentType == "application/efi")
        let kernel = files.answer("EFI/X64/linux-boot/linux.1")
        #expect(kernel.body == Array("kernel".utf8) && kernel.contentType == "application/octet-stream")
        #expect(files.answer("grub/grub.cfg-01-00-d0-b7-1b-12-ed").body == Array("one-shot\n".utf8))
        #expect(files.answer("EFI/X64/linux-boot/linux.9").status == 404)
        #expect(files.answer("EFI/X64/linux-boot/passwd").status == 403)
        #expect(files.answer("EFI/X64").status == 403)  // a directory
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
        let arm = try #require(DHCPPolicy.decide(T.request(Self.httpClient(.discover, code: 19)), context: context, mode: .full).replyValue)
        #expect(arm.packet.bootFile == "http://192.168.197.11:8067/EFI/AA64/linux-boot/linux.0")
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

    /// The listener for real: curl fetches the boot program byte for byte.
    @Test func curlFetchesTheBootProgramFromTheListener() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { print("skipped: /usr/bin/curl is not installed"); return }
        let tree = try Tree()
        let files = HTTPBootFiles(root: tree.root)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await HTTPServer.start(HTTPServer.Configuration(host: "127.0.0.1", port: 0), responder: { info in
            if case .bootFile(let path) = info.route { return files.answer(path) }
            return .text(404, "not here", logReason: "other")
        }, group: group, logger: Logger(label: "test"))
        let output = tree.root + "/fetched"
        let result = try run("/usr/bin/curl", ["-sS", "-o", output, "-w", "%{http_code} %{content_type}", "http://127.0.0.1:\(server.localPort)/EFI/X64/linux-boot/linux.0"])
        #expect(result.output == "200 application/efi")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: output))) == tree.program)
        let missing = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.localPort)/EFI/X64/linux-boot/passwd"])
        #expect(missing.output == "403")
        try await server.stop()
        try await group.shutdownGracefully()
    }
}

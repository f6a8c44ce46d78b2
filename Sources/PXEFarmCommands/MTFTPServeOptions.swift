import ArgumentParser
import FarmServer
import NetbootWire

/// Serve's MTFTP options: its port and the files multicast over it.
struct MTFTPServeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The PXE MTFTP port.", valueName: "N"))
    var mtftpPort: Int = 1759

    @Option(help: ArgumentHelp("""
        Multicast one file over MTFTP: its name under the TFTP root, the group address and \
        the client port, e.g. X86PC/UNDI/linux-boot/linux.1=224.1.1.1:1758. Repeatable; \
        files without a group are refused over MTFTP so clients fall back to TFTP.
        """, valueName: "FILE=IP:PORT"))
    var mtftpGroup: [String] = []

    /// `FILE=IP:PORT` pairs, each checked: a multicast address and a port 1-65535.
    func mtftpGroups() throws -> [String: MTFTPGroup] {
        var groups: [String: MTFTPGroup] = [:]
        for text in mtftpGroup {
            let parts = text.split(separator: "=", maxSplits: 1)
            let target = parts.count == 2 ? parts[1].split(separator: ":") : []
            guard parts.count == 2, target.count == 2, let address = IPv4Address(target[0]), let port = Int(target[1]),
                  let group = MTFTPGroup(address: address, clientPort: port)
            else {
                throw ValidationError("--mtftp-group \(text) is not FILE=IP:PORT with a multicast IP (224.0.0.0-239.255.255.255) and a port 1-65535")
            }
            let file = String(parts[0].drop { $0 == "/" })
            guard groups[file] == nil else { throw ValidationError("--mtftp-group gives \(file) twice") }
            groups[file] = group
        }
        return groups
    }
}

import FileIO
import Foundation

/// One piece of a node's own identity in its private tree: /etc/machine-id
/// (systemd's format: 32 lowercase hex digits, a random version 4 UUID) or
/// an SSH host key pair made with ssh-keygen. Made once, when the node's
/// tree lacks it or still holds the image's copy (which every node of the
/// image would share), and then the node's own: never made again.
struct NodeIdentity: OutputRecipe {
    enum Kind: Sendable, Equatable {
        case machineID
        /// ed25519, ecdsa or rsa.
        case sshHostKey(String)
    }

    let kind: Kind
    /// The node, for the key's comment (root@NODE).
    let node: String
    /// The same file in the image: a node holding an identical copy has no
    /// identity of its own yet.
    let imageCopy: String

    static let sshKeyTypes = ["ed25519", "ecdsa", "rsa"]
    /// Image files a node must not start from a copy of: systemd's random
    /// seed (every node would mix the same seed in; systemd-random-seed
    /// makes a node its own on its first boot).
    static let notSeeded: Set<String> = ["var/lib/systemd/random-seed"]
    static let keygen = "/usr/bin/ssh-keygen"

    /// Where the piece goes inside a node's tree.
    var path: String { Self.path(of: kind) }

    static func path(of kind: Kind) -> String {
        switch kind {
        case .machineID: "etc/machine-id"
        case .sshHostKey(let type): "etc/ssh/ssh_host_\(type)_key"
        }
    }

    /// The outputs of one node whose image takes identities: the machine
    /// id, and host keys when the image runs an SSH server.
    static func pieces(node: String, imageRoot: String) -> [NodeIdentity] {
        var pieces = [NodeIdentity(kind: .machineID, node: node, imageCopy: imageRoot + "/etc/machine-id")]
        let sshd = ["usr/sbin/sshd", "sbin/sshd"].contains { FileSystem.exists(imageRoot + "/" + $0) }
        if sshd || FileSystem.exists(imageRoot + "/etc/ssh/sshd_config") {
            for type in sshKeyTypes {
                let kind = Kind.sshHostKey(type)
                pieces.append(NodeIdentity(kind: kind, node: node, imageCopy: imageRoot + "/" + path(of: kind)))
            }
        }
        return pieces
    }

    func inputsDigest() throws(BuildError) -> String {
        switch kind {
        case .machineID: "identity machine-id"
        case .sshHostKey(let type): "identity ssh host key \(type)"
        }
    }

    /// The image's copy decides whether a node's file is its own yet; ssh-keygen makes keys.
    func watchedPaths() -> [String] {
        kind == .machineID ? [imageCopy] : [imageCopy, Self.keygen]
    }

    /// True when `target` (the node's file) is already the node's own.
    func isOwn(_ target: String) -> Bool {
        guard FileSystem.status(target)?.kind == .file, let bytes = try? FileSystem.read(target), !bytes.isEmpty else { return false }
        if let copy = try? FileSystem.read(imageCopy), copy == bytes { return false }
        switch kind {
        case .machineID:
            return Self.isMachineID(bytes)
        case .sshHostKey:
            return FileSystem.status(target + ".pub")?.kind == .file
        }
    }

    static func isMachineID(_ bytes: [UInt8]) -> Bool {
        let digits = bytes.last == 0x0A ? bytes.dropLast() : bytes[...]
        return digits.count == 32 && digits.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            && !digits.allSatisfy { $0 == 0x30 }
    }

    /// A random machine id as systemd makes one (id128_make_v4_uuid): 16
    /// random bytes with the UUID version 4 and variant bits set.
    static func newMachineID<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() + "\n"
    }

    /// Writes the piece at `target`, replacing the image's copy atomically
    /// (beside it, then renamed): the machine id 0444 as systemd writes it,
    /// the private key 0600 and the public one 0644, as ssh-keygen does.
    func produce(at target: String) throws(BuildError) {
        let directory = PathName.directoryName(target)
        try FileSystem.makeDirectories(directory)
        switch kind {
        case .machineID:
            var generator = SystemRandomNumberGenerator()
            let temporary = target + ".pxefarm-new"
            try? FileSystem.removeTree(temporary)
            try FileSystem.create(temporary, bytes: Array(Self.newMachineID(using: &generator).utf8), mode: 0o444)
            try FileSystem.rename(temporary, target)
        case .sshHostKey(let type):
            let temporary = directory + "/.pxefarm-\(type)-key"
            try? FileSystem.removeTree(temporary)
            try? FileSystem.removeTree(temporary + ".pub")
            try Self.generate(type: type, comment: "root@\(node)", at: temporary)
            try FileSystem.rename(temporary + ".pub", target + ".pub")
            try FileSystem.rename(temporary, target)
        }
    }

    static func generate(type: String, comment: String, at path: String) throws(BuildError) {
        guard FileSystem.exists(keygen) else {
            throw .produce(path: path, reason: "\(keygen) is not installed (Debian package openssh-client); install it, or set identity: false for the image to keep the image's host keys")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: keygen)
        process.arguments = ["-q", "-t", type, "-N", "", "-C", comment, "-f", path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw .produce(path: path, reason: "cannot run \(keygen): \(error.localizedDescription)") }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .produce(path: path, reason: "ssh-keygen -t \(type) exited with status \(process.terminationStatus): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

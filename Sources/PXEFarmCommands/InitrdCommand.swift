import ArgumentParser

/// `pxefarm initrd`: pack and list initrd images (newc cpio through libarchive).
struct InitrdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initrd",
        abstract: "Pack and list initrd images (newc cpio, as the kernel unpacks).",
        subcommands: [InitrdPackCommand.self, InitrdListCommand.self]
    )
}

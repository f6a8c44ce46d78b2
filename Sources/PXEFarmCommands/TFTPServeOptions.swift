import ArgumentParser

/// What serve's TFTP listener serves and how, with the MTFTP options
/// between (in this order in `--help`).
struct TFTPServeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Serve this folder instead of DIR/tftpboot.", valueName: "DIR"))
    var tftpRoot: String?

    @Option(help: ArgumentHelp("The TFTP port (0 picks a free one and logs it).", valueName: "N"))
    var tftpPort: Int = 69

    @OptionGroup var mtftp: MTFTPServeOptions

    @Flag(help: "Send each TFTP block as its own datagram, even where Linux could send a window's blocks in one segmented write (UDP GSO).")
    var noSegmentationOffload = false

    @Option(help: ArgumentHelp("Transfers served at once; further requests are dropped and logged until one ends (clients retry).", valueName: "N"))
    var maxTransfers: Int = 1024
}

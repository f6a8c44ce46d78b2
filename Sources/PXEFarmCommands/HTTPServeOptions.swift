import ArgumentParser

/// Serve's HTTP listener: its port, or none.
struct HTTPServeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The HTTP port for kickstart files, install callbacks and UEFI HTTP Boot (default: the farm's http-port, 8067; 0 picks a free one).", valueName: "N"))
    var httpPort: Int?

    @Flag(name: .customLong("no-http"), help: "Answer no HTTP (kickstart files, install callbacks, UEFI HTTP Boot).")
    var noHTTP = false
}

import ArgumentParser

/// `--html FILE` and `--svg FILE`: the boot timeline drawn into files, besides the text report.
struct TimelineFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also write the boot timeline as an HTML page.", valueName: "FILE"))
    var html: String?

    @Option(help: ArgumentHelp("Also write the boot timeline as an SVG picture.", valueName: "FILE"))
    var svg: String?
}

import ArgumentParser

/// `--out DIR`, shared by the commands that read or write a build.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The output folder.", valueName: "dir"))
    var out: String = "out"
}

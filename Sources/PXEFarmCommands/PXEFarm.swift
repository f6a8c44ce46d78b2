import ArgumentParser

/// The `pxefarm` command: every subcommand is a small type in a file of its own.
public struct PXEFarm: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pxefarm",
        abstract: "Build and serve diskless Linux farms from one farm file.",
        discussion: """
            A farm file (farm.yaml) describes the network, the boot images, the PXE \
            services and the nodes. `pxefarm check` validates it; the other commands \
            build from it.
            """,
        version: Version.current,
        subcommands: [
            CheckCommand.self,
            NodesCommand.self,
            PlanCommand.self,
            BuildCommand.self,
            RollbackCommand.self,
            PublishCommand.self,
            KernelCommand.self,
            ConfigCommand.self,
            ImportCommand.self,
            Explain.self,
            ServeCommand.self,
            StatusCommand.self,
            RolloutCommand.self,
            BootCommand.self,
            InitrdCommand.self,
        ]
    )

    public init() {}

    /// No subcommand: a short overview instead of the full help.
    public func run() throws {
        print(Overview.text)
    }
}

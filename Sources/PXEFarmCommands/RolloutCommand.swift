import ArgumentParser

/// `pxefarm rollout start|status|pause|resume|abort`: kickstart installs in waves.
struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Install nodes with a kickstart service, wave by wave.",
        discussion: """
            A rollout moves nodes to an install service (one with a kickstart template) a \
            wave at a time. `pxefarm serve` applies it: nodes of the running wave get the \
            install service in their DHCP answers and pxelinux files, fetch their kickstart \
            file from serve's HTTP port (farm.http-port) and report back from %post with \
            their token; a node that reported done boots locally (the farm's type 0 \
            service) from then on, so it never installs twice. The next wave starts when \
            every node of the last one reported done or timed out. The state is kept in \
            DIR/.pxefarm/boot-state.json and survives restarts of serve.
            """,
        subcommands: [RolloutStartCommand.self, RolloutStatusCommand.self, RolloutPauseCommand.self,
                      RolloutResumeCommand.self, RolloutAbortCommand.self])
}

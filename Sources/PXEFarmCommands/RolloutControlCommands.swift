import ArgumentParser
import Rollout

/// `pxefarm rollout pause`: no new wave starts; installing nodes go on.
struct RolloutPauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Start no new wave until resumed.")

    @OptionGroup var state: BootStateOptions

    func run() throws {
        let (events, _) = try state.update("rollout pause") { try $0.pause() }
        print(events.isEmpty ? "the rollout is already paused" : events.map(\.description).joined(separator: "\n"))
    }
}

/// `pxefarm rollout resume`: waves start again.
struct RolloutResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Start waves again after a pause.")

    @OptionGroup var state: BootStateOptions

    func run() throws {
        let (events, _) = try state.update("rollout resume") { try $0.resume(now: BootStateOptions.now) }
        print(events.isEmpty ? "the rollout is already running" : events.map(\.description).joined(separator: "\n"))
    }
}

/// `pxefarm rollout abort`: nodes not yet done go back to their farm service.
struct RolloutAbortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort", abstract: "Stop the rollout: nodes not yet done boot their farm service again.",
        discussion: "Nodes that already reported done keep booting locally (`pxefarm boot NODE --reset` undoes that).")

    @OptionGroup var state: BootStateOptions

    func run() throws {
        let (events, _) = try state.update("rollout abort") { try $0.abort(now: BootStateOptions.now) }
        print(events.map(\.description).joined(separator: "\n"))
    }
}

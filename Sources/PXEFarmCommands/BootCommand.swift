import ArgumentParser
import FarmModel
import Rollout

/// `pxefarm boot farm.yaml n011 --once --args single`: extra kernel
/// arguments for a node's next boot only; `--reset` puts a node back on
/// what the farm file says.
struct BootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Give nodes' next boot extra kernel arguments, or reset them to the farm file.",
        discussion: """
            With --once --args, `pxefarm serve` hands the nodes a pxelinux (BIOS) or GRUB (UEFI) configuration \
            with the arguments after their own (single-user mode: --args single) until \
            each has fetched its kernel, then the farm file's again. --reset forgets a \
            node's one-shot arguments and its local boot after a rollout installed it. \
            Nodes are names and ranges, comma separated, such as n011,n[040-047].
            """)

    @OptionGroup var farm: FarmFileOptions

    @Argument(help: ArgumentHelp("The nodes.", valueName: "nodes"))
    var nodes: String

    @OptionGroup var state: BootStateOptions

    @Flag(help: "Only the next boot (required with --args).")
    var once = false

    @Option(help: ArgumentHelp("Kernel arguments added after the node's own.", valueName: "args"))
    var args: String?

    @Flag(help: "Back to the farm file: drop one-shot arguments and local boot after an install.")
    var reset = false

    func validate() throws {
        if reset, args != nil || once { throw ValidationError("--reset cannot be combined with --once or --args") }
        if !reset {
            guard let args, !args.isEmpty else { throw ValidationError("give --once --args ARGS, or --reset") }
            guard once else {
                throw ValidationError("--args needs --once: arguments for every boot belong in the farm file (kernel-args)")
            }
            if let problem = TextRules.injection(in: args, at: "--args") {
                throw ValidationError(problem.message)
            }
        }
    }

    func run() throws {
        let loaded = try farm.load()
        let selected: [Node]
        do {
            selected = try NodeSelection.nodes(nodes, in: loaded)
        } catch {
            Console.error("pxefarm boot: \(farm.farmFile): \(error)")
            throw ExitCode.failure
        }
        if reset {
            let (dropped, _) = try state.update("boot") { boot in selected.map { ($0.name, boot.reset(node: $0.name)) } }
            for (node, what) in dropped {
                print(what.isEmpty ? "\(node): nothing to reset" : "\(node): dropped " + what.joined(separator: " and "))
            }
            return
        }
        let arguments = args ?? ""
        let served = try state.read("boot").applied(to: loaded)
        for node in selected {
            let service = served.node(named: node.name)?.service ?? node.service
            if loaded.service(named: service).map({ $0.isLocalBoot || $0.image == nil }) ?? true {
                Console.error("pxefarm boot: \(node.name) boots \(service), which loads no kernel; nothing changed")
                throw ExitCode.failure
            }
        }
        try state.update("boot") { boot in
            for node in selected { boot.bootOnce(node: node.name, arguments: arguments, now: BootStateOptions.now) }
        }
        for node in selected {
            print("\(node.name): next boot adds \"\(arguments)\" to its kernel arguments until it has fetched its kernel from pxefarm serve")
        }
    }
}

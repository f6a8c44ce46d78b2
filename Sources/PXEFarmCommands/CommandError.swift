/// What the commands themselves throw, one sentence each. Everything else a
/// command reports is written by `Console` with the command's name in front,
/// and the command exits 1 (ExitCode.failure); argument-parser's
/// ValidationError is kept for flags that contradict each other.
enum CommandError: Error, CustomStringConvertible {
    /// The farm file no longer loads on SIGHUP; the daemon keeps the farm it has.
    case reloadRefused(path: String, problems: [String])

    var description: String {
        switch self {
        case .reloadRefused(let path, let problems): "\(path) has errors: " + problems.joined(separator: "; ")
        }
    }
}

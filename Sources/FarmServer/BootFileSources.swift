import BootConfig
import FarmModel

/// What the daemon renders per-node boot files and kickstart files from,
/// loaded with the farm (at start and on SIGHUP): the pxelinux templates,
/// every install service's kickstart template, and the farm's secrets.
public struct BootFileSources: Sendable {
    public var templates: Templates
    public var kickstarts: KickstartTemplates
    /// Nil when the farm names no secrets file or it cannot be read:
    /// kickstart files and callbacks are then answered 503, with `secretsProblem`.
    public var secrets: FarmSecrets?
    public var secretsProblem: String?

    public init(templates: Templates, kickstarts: KickstartTemplates = KickstartTemplates(), secrets: FarmSecrets? = nil, secretsProblem: String? = nil) {
        self.templates = templates
        self.kickstarts = kickstarts
        self.secrets = secrets
        self.secretsProblem = secretsProblem
    }
}

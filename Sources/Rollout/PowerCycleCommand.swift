import FarmModel

/// The rollout's power-cycle command for one node: `{node}`, `{mac}` and
/// `{ip}` replaced by the node's values, each quoted for `/bin/sh` so a
/// value can never become shell syntax.
public enum PowerCycleCommand {
    public static let placeholders = ["{node}", "{mac}", "{ip}"]

    public static func expand(_ template: String, for node: Node) -> String {
        template
            .replacing("{node}", with: quoted(node.name))
            .replacing("{mac}", with: quoted(node.mac.description))
            .replacing("{ip}", with: quoted(node.ip.description))
    }

    /// Single quotes, with any single quote inside closed, escaped and reopened.
    static func quoted(_ value: String) -> String {
        "'" + value.replacing("'", with: "'\\''") + "'"
    }
}

/// The daemon's answer to an installer's HTTP request: a status, a line of
/// text for the installer, and the reason for the log.
public struct InstallAnswer: Hashable, Sendable {
    public var status: Int
    public var body: String
    public var reason: String

    public init(status: Int, body: String, reason: String? = nil) {
        self.status = status
        self.body = body
        self.reason = reason ?? body.trimmingSuffix("\n")
    }

    static func text(_ status: Int, _ line: String) -> InstallAnswer { InstallAnswer(status: status, body: line + "\n", reason: line) }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

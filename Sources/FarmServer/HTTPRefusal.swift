/// Why the HTTP listener refuses a request before anyone decides what to
/// answer: the status sent, a short stable `reason` (the refusal counter's key
/// and the log line's `reason=`) and a sentence for the answer's body.
public struct HTTPRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var status: Int
    public var reason: String
    public var message: String
    /// The methods the path allows, for the `Allow` header of a 405.
    public var allowed: [String]

    public init(status: Int, reason: String, message: String, allowed: [String] = []) {
        self.status = status
        self.reason = reason
        self.message = message
        self.allowed = allowed
    }

    public var description: String { "\(status) \(reason): \(message)" }

    /// The answer sent for it: the message as text, `Allow` on a 405.
    public var answer: HTTPAnswer {
        var answer = HTTPAnswer.text(status, message, logReason: reason)
        if !allowed.isEmpty { answer.headers["Allow"] = allowed.joined(separator: ", ") }
        return answer
    }

    static func notFound(_ message: String) -> HTTPRefusal {
        HTTPRefusal(status: 404, reason: "not-found", message: message)
    }

    static func malformed(_ reason: String, _ message: String) -> HTTPRefusal {
        HTTPRefusal(status: 400, reason: reason, message: message)
    }
}

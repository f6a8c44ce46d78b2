/// What the HTTP listener sends back for one request. Every answer goes out
/// with `Content-Length` and `Connection: close`; to a HEAD the body is left
/// off (its length still announced). `logReason` is a short stable key
/// ("kickstart", "done", "bad-token"): it ends the request's log line and,
/// for a status of 400 or more, is the refusal counter's reason, so keep
/// details out of it and put them in the body.
public struct HTTPAnswer: Equatable, Sendable {
    public var status: Int
    public var reasonPhrase: String
    public var contentType: String
    public var body: [UInt8]
    /// Further header fields (`Allow` on a 405). Content-Length, Connection and
    /// Content-Type here are ignored, and so is a field with a control character.
    public var headers: [String: String]
    public var logReason: String

    public init(status: Int, reasonPhrase: String? = nil, contentType: String, body: [UInt8],
                headers: [String: String] = [:], logReason: String) {
        self.status = status
        self.reasonPhrase = reasonPhrase ?? Self.reasonPhrase(for: status)
        self.contentType = contentType
        self.body = body
        self.headers = headers
        self.logReason = logReason
    }

    /// A text/plain answer; a newline is added when the text lacks one.
    public static func text(_ status: Int, _ text: String, logReason: String) -> HTTPAnswer {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        return HTTPAnswer(status: status, contentType: "text/plain; charset=utf-8", body: Array(line.utf8), logReason: logReason)
    }

    /// 200 with the given text (a kickstart file is text/plain too).
    public static func ok(_ text: String, logReason: String) -> HTTPAnswer {
        HTTPAnswer(status: 200, contentType: "text/plain; charset=utf-8", body: Array(text.utf8), logReason: logReason)
    }

    /// Whether the request counts as refused (and is counted under `logReason`).
    public var isRefusal: Bool { status >= 400 }

    /// The standard phrase of the statuses this server sends (RFC 9110 section 15).
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: status < 400 ? "OK" : "Error"
        }
    }
}

import NIOCore

/// What the HTTP listener sends back for one request. Every answer goes out
/// with `Content-Length`, and with `Connection: close` but for boot files and
/// scripts (`HTTPRoute.isBootFile`) to a client that keeps its connection;
/// to a HEAD the body is left off (its length still announced). A boot
/// file's body is the file cache's shared buffer, not a copy. `logReason` is a short stable key
/// ("kickstart", "done", "bad-token"): it ends the request's log line and,
/// for a status of 400 or more, is the refusal counter's reason, so keep
/// details out of it and put them in the body.
public struct HTTPAnswer: Equatable, Sendable {
    public var status: Int
    public var reasonPhrase: String
    public var contentType: String
    public var body: ByteBuffer
    /// Further header fields (`Allow` on a 405). Content-Length, Connection and
    /// Content-Type here are ignored, and so is a field with a control character.
    public var headers: [String: String]
    public var logReason: String

    public init(status: Int, reasonPhrase: String? = nil, contentType: String, body: ByteBuffer,
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
        return HTTPAnswer(status: status, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: line), logReason: logReason)
    }

    /// 200 with the given text (a kickstart file is text/plain too).
    public static func ok(_ text: String, logReason: String) -> HTTPAnswer {
        HTTPAnswer(status: 200, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: text), logReason: logReason)
    }

    /// The bytes a client asked for, or the part its `Range` header names
    /// (RFC 9110 section 14): 200 with all of `file`, 206 with one range and
    /// its Content-Range, 416 for a range outside the file. Every answer says
    /// `Accept-Ranges: bytes`.
    public static func file(_ file: ByteBuffer, contentType: String = "application/octet-stream", range: String?, logReason: String) -> HTTPAnswer {
        let size = file.readableBytes
        switch HTTPByteRange(header: range, size: size) {
        case .whole:
            return HTTPAnswer(status: 200, contentType: contentType, body: file, headers: ["Accept-Ranges": "bytes"], logReason: logReason)
        case .part(let part):
            let slice = file.getSlice(at: file.readerIndex + part.lowerBound, length: part.count) ?? ByteBuffer()
            return HTTPAnswer(status: 206, contentType: contentType, body: slice,
                              headers: ["Accept-Ranges": "bytes", "Content-Range": "bytes \(part.lowerBound)-\(part.upperBound - 1)/\(size)"],
                              logReason: logReason)
        case .unsatisfiable:
            var answer = HTTPAnswer.text(416, "the range asked for lies outside the file's \(size) bytes", logReason: "range-not-satisfiable")
            answer.headers = ["Accept-Ranges": "bytes", "Content-Range": "bytes */\(size)"]
            return answer
        }
    }

    /// Whether the request counts as refused (and is counted under `logReason`).
    public var isRefusal: Bool { status >= 400 }

    /// The standard phrase of the statuses this server sends (RFC 9110 section 15).
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 204: "No Content"
        case 206: "Partial Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 416: "Range Not Satisfiable"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: status < 400 ? "OK" : "Error"
        }
    }
}

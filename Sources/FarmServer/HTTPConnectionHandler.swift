import Logging
import NetbootWire
import NIOCore
import NIOHTTP1

/// One HTTP connection: one request, one answer, then close — except for
/// boot files and scripts (`HTTPRoute.isBootFile`), after which a client
/// that keeps its connection (HTTP/1.1 without `Connection: close`, or 1.0
/// with `keep-alive`) may send the next request, one at a time (requests
/// pipelined behind an unanswered one are dropped). Reads the parsed
/// request, refuses what `HTTPRoute` refuses, answers boot files itself
/// from `files` (the overlay, the TFTP path policy and file cache, read off
/// the event loop), hands the rest to `respond` (which must not block the event loop:
/// the server runs the responder on a thread pool) and writes the answer with
/// `Content-Length`, without a body to a HEAD. A request not complete within
/// `requestTimeout` of the connection opening (or of the previous answer
/// being written) gets 408 and the close, an idle kept connection just the
/// close; a parser error 400; more bytes than the size limit allows 431 or 413.
/// Each request ends in one log line (peer, method, target with any token
/// masked, status, reason); each refusal is counted by reason.
final class HTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    typealias Respond = @Sendable (HTTPRequestInfo, EventLoop) -> EventLoopFuture<HTTPAnswer>

    private enum State {
        case awaitingHead
        /// The head arrived; waiting for the end of the body (ignored).
        case readingBody(Result<HTTPRequestInfo, HTTPRefusal>)
        case responding
        /// Answered before the body was read (413 by Content-Length): the body
        /// is read and dropped, and the connection closed at its end, so the
        /// close does not reset the connection under the client's feet.
        case draining
        case answered
    }

    private struct Request {
        var method: String
        var target: String
        var range: String?
        var keepAlive: Bool
        var route: HTTPRoute?
    }

    private let requestTimeout: TimeAmount
    private let maximumBodyBytes: Int
    private let respond: Respond
    private let logger: Logger
    private let refusals: RefusalCounter
    private let files: HTTPBootFiles?
    private let sizeLimit: HTTPRequestSizeLimit?
    private var state = State.awaitingHead
    /// Answers written on this connection (a kept one waits for more).
    private var answered = 0
    private var request: Request?
    private var bodyBytes = 0
    private var peer: SocketAddress?
    private var deadline: Scheduled<Void>?

    init(requestTimeout: TimeAmount, maximumBodyBytes: Int, logger: Logger, refusals: RefusalCounter,
         files: HTTPBootFiles? = nil, sizeLimit: HTTPRequestSizeLimit? = nil, respond: @escaping Respond) {
        self.requestTimeout = requestTimeout
        self.maximumBodyBytes = maximumBodyBytes
        self.logger = logger
        self.refusals = refusals
        self.files = files
        self.sizeLimit = sizeLimit
        self.respond = respond
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armDeadline(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .awaitingHead):
            received(head, context: context)
        case (.body(let part), .readingBody):
            bodyBytes += part.readableBytes
            if bodyBytes > maximumBodyBytes {
                answer(.text(413, "the request body is larger than \(maximumBodyBytes) bytes", logReason: "body-too-large"),
                       context: context, closeWhenWritten: false)
            }
        case (.end, .draining):
            context.close(promise: nil)
        case (.end, .readingBody(let parsed)):
            deadline?.cancel()
            deadline = nil
            switch parsed {
            case .failure(let refusal): answer(refusal.answer, context: context)
            case .success(let info): dispatch(info, context: context)
            }
        default:
            // Anything after the one request a connection carries (pipelined
            // requests, the rest of a refused body).
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch state {
        case .draining:
            context.close(promise: nil)
        case .awaitingHead, .readingBody:
            guard context.channel.isActive else {
                // The parser's complaint about a request cut off by the client's close:
                // nobody left to answer, and nothing refused.
                state = .answered
                logger.info("http client left before its request was complete", metadata: [
                    "peer": "\(peerText)", "method": "\(request?.method ?? "-")",
                    "target": "\(request.map { HTTPLogTarget.text($0.target) } ?? "-")",
                ])
                return
            }
            if error is HTTPRequestSizeLimit.Exceeded {
                if case .awaitingHead = state {
                    answer(.text(431, "the request head is larger than this server accepts", logReason: "head-too-large"), context: context)
                } else {
                    answer(.text(413, "the request body is larger than \(maximumBodyBytes) bytes", logReason: "body-too-large"), context: context)
                }
            } else if let parserError = error as? HTTPParserError {
                let answer: HTTPAnswer = parserError == .headerOverflow
                    ? .text(431, "the request head is larger than this server accepts", logReason: "head-too-large")
                    : .text(400, "malformed HTTP request (\(parserError))", logReason: "malformed-request")
                self.answer(answer, context: context)
            } else {
                logger.debug("http connection error", metadata: ["peer": "\(peerText)", "error": "\(error)"])
                context.close(promise: nil)
            }
        case .responding:
            logger.debug("http connection error", metadata: ["peer": "\(peerText)", "error": "\(error)"])
            context.close(promise: nil)
        case .answered:
            // Closing ourselves makes the parser complain of a cut request; nothing to add.
            context.close(promise: nil)
        }
    }

    private func received(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        peer = context.remoteAddress
        request = Request(method: head.method.rawValue, target: head.uri, range: head.headers.first(name: "range"),
                          keepAlive: head.isKeepAlive, route: nil)
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maximumBodyBytes {
            // Refused before the body is read: no point waiting for it. Its bytes are
            // still bounded by HTTPRequestSizeLimit and the deadline.
            answer(.text(413, "the request body is larger than \(maximumBodyBytes) bytes", logReason: "body-too-large"),
                   context: context, closeWhenWritten: false)
            return
        }
        let parsed: Result<HTTPRequestInfo, HTTPRefusal>
        do throws(HTTPRefusal) {
            let route = try HTTPRoute.parse(method: head.method.rawValue, target: head.uri)
            guard let (address, port) = context.remoteAddress.flatMap(Self.ipv4) else {
                throw HTTPRefusal(status: 403, reason: "not-ipv4", message: "only IPv4 clients are served")
            }
            let local = context.localAddress.flatMap(Self.ipv4).map { "http://\($0.0):\($0.1)" } ?? "http://\(context.localAddress?.ipAddress ?? "127.0.0.1")"
            parsed = .success(HTTPRequestInfo(route: route, method: head.method.rawValue, peer: address, peerPort: port, base: local))
            request?.route = route
        } catch {
            parsed = .failure(error)
        }
        state = .readingBody(parsed)
        // A client that asks before sending its body (curl does for large ones) is
        // told to go on when the request will be answered on its merits; a refusal
        // waits for the body (the client sends it after its own short wait).
        if case .success = parsed, head.version == .http1_1,
           head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
        }
    }

    private func dispatch(_ info: HTTPRequestInfo, context: ChannelHandlerContext) {
        state = .responding
        if case .bootFile(let name) = info.route {
            return serveFile(name, context: context)
        }
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        let handler = NIOLoopBound(self, eventLoop: context.value.eventLoop)
        respond(info, context.value.eventLoop).hop(to: context.value.eventLoop).whenComplete { result in
            let answer: HTTPAnswer
            switch result {
            case .success(let given): answer = given
            case .failure: answer = .text(503, "the server is shutting down", logReason: "unavailable")
            }
            handler.value.answer(answer, context: context.value)
        }
    }

    /// A boot file: the overlay's per-node file of that name, else the file
    /// the TFTP path policy finds for it now, from the shared file cache; its
    /// fetch is reported as a TFTP one is.
    private func serveFile(_ name: String, context: ChannelHandlerContext) {
        guard let files else {
            return answer(.text(404, "this server serves no boot files over HTTP", logReason: "no-boot-files"), context: context)
        }
        if let rendered = files.overlay?.contents(of: name, netascii: false) {
            return sendFile(rendered, contentType: "text/plain; charset=utf-8", name: name, files: files, context: context)
        }
        let file: TFTPFile
        do {
            file = try files.policy.resolve(Array(name.utf8))
        } catch {
            let status = error.tftpCode == .fileNotFound ? 404 : 403
            return answer(.text(status, "\(error.wireMessage): \(name)", logReason: error.reason), context: context)
        }
        files.cache.contents(of: file, on: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let bytes):
                self.sendFile(bytes, contentType: HTTPBootFiles.contentType(of: bytes), name: name, files: files, context: context)
            case .failure(let error):
                self.logger.warning("http boot file unreadable", metadata: ["peer": "\(self.peerText)", "file": "\(name)", "reason": "\(error)"])
                self.answer(.text(403, "Access violation: \(name)", logReason: "unreadable"), context: context)
            }
        }
    }

    private func sendFile(_ bytes: ByteBuffer, contentType: String, name: String, files: HTTPBootFiles, context: ChannelHandlerContext) {
        let answer = HTTPAnswer.file(bytes, contentType: contentType, range: request?.range, logReason: "boot-file")
        let report = request?.method == "GET" ? files.onFetch : nil
        let peer = peer?.ipAddress ?? "-"
        let started = NIODeadline.now()
        self.answer(answer, context: context) { written in
            report?(TFTPFetchReport(client: peer, file: name, bytes: written ? answer.body.readableBytes : 0,
                                    completed: written && answer.status == 200, outcome: written ? "completed over HTTP" : "failed over HTTP",
                                    seconds: Double((NIODeadline.now() - started).nanoseconds) / 1e9, overHTTP: true))
        }
    }

    /// Counts and logs the answer, writes it and closes once it is out (or,
    /// on a kept connection, waits for the next request); `written` is told
    /// whether the whole answer went out.
    private func answer(_ answer: HTTPAnswer, context: ChannelHandlerContext, closeWhenWritten: Bool = true,
                        written: ((Bool) -> Void)? = nil) {
        switch state {
        case .answered, .draining: return
        case .awaitingHead, .readingBody, .responding: break
        }
        let keepAlive = closeWhenWritten && request?.keepAlive == true && request?.route?.isBootFile == true
        if closeWhenWritten {
            state = .answered
            deadline?.cancel()
            deadline = nil
        } else {
            state = .draining
        }
        // Counted and logged before the write: whoever sees the close finds both.
        if answer.isRefusal { refusals.count(answer.logReason) }
        let metadata: Logger.Metadata = [
            "peer": "\(peerText)",
            "method": "\(request?.method ?? "-")",
            "target": "\(request.map { HTTPLogTarget.text($0.target) } ?? "-")",
            "status": "\(answer.status)",
            "reason": "\(answer.logReason)",
        ]
        logger.info("http answered", metadata: metadata)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: Self.isSafeField(answer.contentType) ? answer.contentType : "application/octet-stream")
        headers.add(name: "Content-Length", value: "\(answer.body.readableBytes)")
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key })
        where !["content-length", "connection", "content-type"].contains(name.lowercased()) && Self.isSafeField(name) && Self.isSafeField(value) {
            headers.add(name: name, value: value)
        }
        let head = HTTPResponseHead(version: .http1_1, status: .custom(code: UInt(answer.status), reasonPhrase: answer.reasonPhrase),
                                    headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request?.method != "HEAD", answer.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        }
        guard closeWhenWritten else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let sent = context.eventLoop.makePromise(of: Void.self)
        sent.futureResult.assumeIsolated().whenComplete { result in
            if case .failure = result { written?(false) } else { written?(true) }
            guard keepAlive, case .success = result, context.channel.isActive else {
                context.channel.close(promise: nil)
                return
            }
            self.nextRequest(context: context)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: sent)
    }

    /// A kept connection after its answer went out: ready for another request,
    /// with a fresh byte allowance and deadline.
    private func nextRequest(context: ChannelHandlerContext) {
        answered += 1
        state = .awaitingHead
        request = nil
        bodyBytes = 0
        sizeLimit?.reset()
        armDeadline(context: context)
    }

    /// A field the responder gave that can go on the wire as is: no CR, LF or
    /// other control character that would end the header early.
    private static func isSafeField(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
    }

    private func armDeadline(context: ChannelHandlerContext) {
        guard deadline == nil, case .awaitingHead = state else { return }
        peer = context.remoteAddress
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        let handler = NIOLoopBound(self, eventLoop: context.value.eventLoop)
        deadline = context.value.eventLoop.scheduleTask(in: requestTimeout) {
            let handler = handler.value
            handler.deadline = nil
            switch handler.state {
            case .awaitingHead where handler.answered > 0 && handler.request == nil:
                // A kept connection nobody used again: closed without a word.
                context.value.close(promise: nil)
            case .awaitingHead, .readingBody:
                handler.answer(.text(408, "the request did not arrive in time", logReason: "timeout"), context: context.value)
            case .draining:
                context.value.close(promise: nil)
            case .responding, .answered:
                break
            }
        }
    }

    private var peerText: String { peer?.logText ?? "-" }

    /// The client's IPv4 address and port; an IPv4-mapped IPv6 peer
    /// (`::ffff:a.b.c.d`, a listener on `::`) counts as the IPv4 one.
    static func ipv4(_ address: SocketAddress) -> (IPv4Address, Int)? {
        if let endpoint = address.dhcpEndpoint { return (endpoint.address, endpoint.port) }
        guard case .v6(let v6) = address, let port = address.port else { return nil }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF,
              let ipv4 = IPv4Address(octets: bytes[12...]) else { return nil }
        return (ipv4, port)
    }
}

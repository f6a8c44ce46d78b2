/// One finished fetch of a boot file as the daemon's other parts see it (the
/// boot stages record which linux.N a node fetched, and when): a TFTP
/// transfer, handed to `TFTPServer.Configuration.onTransferEnd`, or a GET of
/// a boot file from the HTTP listener (`overHTTP`), handed to `HTTPBootFiles.onFetch`.
public struct TFTPFetchReport: Sendable, Hashable {
    /// The client's IP address as text.
    public var client: String
    /// The file name as the client asked for it.
    public var file: String
    public var bytes: Int
    public var completed: Bool
    /// "completed", "timed out", the client's error, or why it failed.
    public var outcome: String
    /// From the request to the last ACK (or the failure), for the transfer-time histogram.
    public var seconds: Double
    /// Fetched from the HTTP listener rather than by TFTP.
    public var overHTTP: Bool

    public init(client: String, file: String, bytes: Int, completed: Bool, outcome: String, seconds: Double = 0, overHTTP: Bool = false) {
        self.client = client
        self.file = file
        self.bytes = bytes
        self.completed = completed
        self.outcome = outcome
        self.seconds = seconds
        self.overHTTP = overHTTP
    }
}

extension TFTPTransferHandler.Summary {
    var report: TFTPFetchReport {
        let text: String
        switch outcome {
        case .completed: text = "completed"
        case .clientError(let code, let message): text = "aborted by client: \(code) \(message)"
        case .timedOut: text = "timed out"
        case .protocolError(let reason): text = "failed: \(reason)"
        }
        return TFTPFetchReport(client: client.ipAddress ?? "\(client)", file: file, bytes: bytesSent,
                               completed: outcome == .completed, outcome: text, seconds: seconds)
    }
}

extension String {
    /// The text with every byte outside printable ASCII (and `"` and `\`)
    /// written as `\xHH`: what a client sent, made safe for one log line or
    /// an error message, so a newline in a TFTP option cannot forge a line.
    public var escapedForLog: String { DHCPPacket.escaped(utf8) }
}

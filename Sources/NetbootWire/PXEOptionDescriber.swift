/// Option 43 in words, one line per fact, for `pxefarm explain`: what each
/// sub-option says, and what is malformed and at which byte. Reads as far as
/// the bytes allow instead of stopping at the first problem.
public enum PXEOptionDescriber {
    public struct Description: Hashable, Sendable {
        public var lines: [String]
        /// True when some part was malformed.
        public var hasProblems: Bool
    }

    public static func describe(_ bytes: [UInt8]) -> Description {
        var lines: [String] = []
        var problems = false
        let (records, problem) = PXEOptionScanner.scan(bytes)
        var firstOffset: [UInt8: Int] = [:]
        for record in records {
            let label = "\(record.tag) \(PXESubOption.name(ofTag: record.tag))"
            if let first = firstOffset[record.tag] {
                lines.append(malformed(NetbootWireError.option43(offset: record.offset, .repeatedTag(tag: record.tag, firstOffset: first))))
                problems = true
            }
            firstOffset[record.tag] = firstOffset[record.tag] ?? record.offset
            do {
                let option = try PXESubOption.decode(tag: record.tag, value: record.value, at: record.valueOffset)
                lines += words(option).map { "\(label): \($0)" }
            } catch {
                lines.append(malformed(error))
                problems = true
            }
        }
        if let problem {
            lines.append(malformed(problem))
            problems = true
        } else {
            lines.append("\(PXESubOption.endTag) end")
        }
        return Description(lines: lines, hasProblems: problems)
    }

    /// "malformed at byte N: what" (an option 43 error reads "byte N: what").
    static func malformed(_ error: NetbootWireError) -> String {
        "malformed at \(error)"
    }

    /// One or more phrases for one sub-option (one per server type or menu line).
    static func words(_ option: PXESubOption) -> [String] {
        switch option {
        case .mtftpAddress(let address), .multicastDiscoveryAddress(let address):
            return ["\(address)"]
        case .mtftpClientPort(let port), .mtftpServerPort(let port):
            return ["UDP \(port)"]
        case .mtftpTimeout(let seconds), .mtftpDelay(let seconds):
            return ["\(seconds) s"]
        case .discoveryControl(let control):
            return ["\(control.rawValue) (\(words(control)))"]
        case .bootServers(let lists):
            if lists.isEmpty { return ["none"] }
            return lists.map { "type \($0.type) -> " + ($0.servers.isEmpty ? "no address" : $0.servers.map(\.description).joined(separator: ", ")) }
        case .bootMenu(let items):
            if items.isEmpty { return ["no entries"] }
            return items.map { "type \($0.type) \"\($0.text)\"" + ($0.type == 0 ? " (local boot)" : "") }
        case .prompt(let prompt):
            let wait = switch prompt.timeout {
            case 0: "0 s, first item at once"
            case 255: "255 = waits for a key"
            default: "\(prompt.timeout) s"
            }
            return ["\(wait) \"\(prompt.text)\""]
        case .bootItem(let item):
            return ["type \(item.type) layer \(item.layer)"]
        case .other(_, let value):
            return ["\(value.count) byte(s) " + (value.isEmpty ? "" : HexBytes.colonSeparated(value))]
        }
    }

    static func words(_ control: PXEDiscoveryControl) -> String {
        var parts: [String] = []
        parts.append(control.contains(.noBroadcast) ? "no broadcast" : "broadcast")
        parts.append(control.contains(.noMulticast) ? "no multicast" : "multicast")
        if control.contains(.serverListOnly) { parts.append("only servers of tag 8") }
        if control.contains(.bootFileOnly) { parts.append("no prompt, menu or discovery: boot file of the DHCP answer") }
        let unknown = control.rawValue & 0xF0
        if unknown != 0 { parts.append("unknown bits 0x\(String(unknown, radix: 16))") }
        return parts.joined(separator: ", ")
    }
}

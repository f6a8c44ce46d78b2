import FarmModel

/// What `pxefarm rollout start` asks for, checked against the farm: an
/// install service (with a kickstart template), the nodes, the wave size,
/// the timeout, and the farm's local-boot service for finished nodes.
public struct RolloutRequest: Hashable, Sendable {
    public var service: String
    public var nodes: String
    public var waveSize: Int
    public var timeout: String
    public var powerCycle: String?

    /// One hour: a kickstart install with packages over the LAN takes 10-30 minutes.
    public static let defaultTimeout = "60m"

    public init(service: String, nodes: String, waveSize: Int, timeout: String = Self.defaultTimeout, powerCycle: String? = nil) {
        self.service = service
        self.nodes = nodes
        self.waveSize = waveSize
        self.timeout = timeout
        self.powerCycle = powerCycle
    }

    public func rollout(for farm: Farm, now: Double) throws(RolloutError) -> Rollout {
        guard let install = farm.service(named: service) else {
            throw .unknownService(service, known: farm.services.map(\.name))
        }
        guard install.kickstart != nil else { throw .noKickstart(service: service) }
        guard farm.service(type: 0) != nil else { throw .noLocalBootService }
        guard waveSize >= 1 else { throw .badWaveSize(waveSize) }
        guard let seconds = Duration.seconds(timeout) else { throw .badTimeout(timeout) }
        let selected = try NodeSelection.nodes(nodes, in: farm)
        return Rollout(service: service, nodes: selected.map(\.name), waveSize: waveSize, timeout: seconds,
                       powerCycle: powerCycle, started: now)
    }
}

/// Durations as administrators write them: `90s`, `45m`, `2h`, or plain seconds.
public enum Duration {
    public static func seconds(_ text: String) -> Double? {
        guard let last = text.last else { return nil }
        let unit: Double
        var digits = Substring(text)
        switch last {
        case "s": unit = 1; digits = digits.dropLast()
        case "m": unit = 60; digits = digits.dropLast()
        case "h": unit = 3600; digits = digits.dropLast()
        default: unit = 1
        }
        guard !digits.isEmpty, digits.count <= 7, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits), value > 0 else {
            return nil
        }
        // More than a week is a typo, not an install.
        let seconds = Double(value) * unit
        return seconds <= 7 * 24 * 3600 ? seconds : nil
    }
}

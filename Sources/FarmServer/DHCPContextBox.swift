import NIOConcurrencyHelpers

/// The current `DHCPContext`, shared by the DHCP listeners and replaced whole
/// when the farm file is reloaded (SIGHUP): a packet is decided against one
/// consistent farm, the old or the new.
public final class DHCPContextBox: Sendable {
    private let box: NIOLockedValueBox<DHCPContext>

    public init(_ context: DHCPContext) { box = NIOLockedValueBox(context) }

    public var current: DHCPContext { box.withLockedValue { $0 } }

    public func replace(with context: DHCPContext) { box.withLockedValue { $0 = context } }
}

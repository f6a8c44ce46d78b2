import FarmModel

/// A farm read from an existing dhcpd.conf (and pxe.conf), ready to be
/// written as a farm file, with what could not be carried over.
public struct ImportedFarm: Hashable, Sendable {
    public var farm: Farm
    /// Images whose paths are placeholders: dhcpd.conf cannot say where the
    /// root and kernel are, so the farm file marks them for the user.
    public var placeholderImages: Set<String>
    /// What was skipped or changed on the way, each at the line that said it.
    public var warnings: [Diagnostic]

    public init(farm: Farm, placeholderImages: Set<String> = [], warnings: [Diagnostic] = []) {
        self.farm = farm
        self.placeholderImages = placeholderImages
        self.warnings = warnings
    }
}

import FarmModel

/// What loading a farm file gives: the farm (nil when the file could not be
/// read or parsed at all) and every diagnostic, placed at file:line:column.
public struct LoadResult: Sendable {
    public var farm: Farm?
    public var diagnostics: [Diagnostic]

    public init(farm: Farm?, diagnostics: [Diagnostic]) {
        self.farm = farm
        self.diagnostics = diagnostics
    }

    public var hasErrors: Bool { diagnostics.hasErrors }

    /// The farm when there are no errors (warnings allowed).
    public var cleanFarm: Farm? { hasErrors ? nil : farm }
}

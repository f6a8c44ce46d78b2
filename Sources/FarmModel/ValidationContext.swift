/// What a validation rule may rely on: the file system probe (nil skips the
/// checks that need files) and the fields the loader could not read, whose
/// values in the model are stand-ins that no rule should judge.
public struct ValidationContext: Sendable {
    public var files: FileProbe?
    public var unreadable: Set<FieldPath>

    public init(files: FileProbe? = nil, unreadable: Set<FieldPath> = []) {
        self.files = files
        self.unreadable = unreadable
    }

    /// True when the loader read a real value at `path`.
    public func has(_ path: FieldPath) -> Bool { !unreadable.contains(path) }
}

import FarmModel

/// Where each field of the farm was read: path -> file, line, column.
/// A path with no entry of its own takes its nearest parent's place, so a
/// missing key is reported at the mapping that lacks it.
struct SourceMap {
    private var locations: [FieldPath: SourceLocation] = [:]

    mutating func record(_ path: FieldPath, _ location: SourceLocation) {
        if locations[path] == nil { locations[path] = location }
    }

    func locate(_ path: FieldPath) -> SourceLocation? {
        var current: FieldPath? = path
        while let candidate = current {
            if let location = locations[candidate] { return location }
            current = candidate.parent
        }
        return nil
    }
}

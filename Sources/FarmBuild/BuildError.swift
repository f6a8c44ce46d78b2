/// Why a build, plan or rollback stopped. One sentence each, naming the path.
public enum BuildError: Error, Equatable, CustomStringConvertible {
    case io(path: String, action: String, reason: String)
    case refusedOutput(path: String, reason: String)
    case imageIncomplete(image: String, missing: String)
    case noGeneration(String)
    case unsupportedRoot(image: String, path: String)
    case produce(path: String, reason: String)
    case configuration(String)

    public var description: String {
        switch self {
        case let .io(path, action, reason): "cannot \(action) \(path): \(reason)"
        case let .refusedOutput(path, reason): "refusing to build into \(path): \(reason)"
        case let .imageIncomplete(image, missing): "image \(image) lacks \(missing)"
        case let .noGeneration(message): message
        case let .unsupportedRoot(image, path): "image \(image): cannot read the root \(path)"
        case let .produce(path, reason): "cannot make \(path): \(reason)"
        case let .configuration(reason): reason
        }
    }
}

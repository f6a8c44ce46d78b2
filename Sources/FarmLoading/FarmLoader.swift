import FarmModel
import FileIO
import Yams

/// Loads a farm file: YAML via Yams, node lists beside it, every problem
/// reported at once with its file, line and column, then the model's own
/// validation on what could be read.
public struct FarmLoader: Sendable {
    public static let topLevelKeys = ["farm", "images", "services", "discovery", "defaults", "nodes", "servers"]

    private let files: LocalFiles

    public init(files: LocalFiles = LocalFiles()) { self.files = files }

    /// Reads and checks the farm file at `path` (shown in diagnostics as given).
    public func load(path: String) -> LoadResult {
        do {
            let text = try files.read(path)
            return load(text: text, file: path, baseDirectory: PathName.directoryName(path))
        } catch {
            return LoadResult(farm: nil, diagnostics: [Diagnostic(.error, FieldPath(), error.description, at: SourceLocation(file: path, line: 1, column: 1))])
        }
    }

    /// Checks farm-file text; relative paths in it are taken from `baseDirectory`.
    public func load(text: String, file: String, baseDirectory: String, checkFiles: Bool = true) -> LoadResult {
        let context = LoadContext(file: file, baseDirectory: baseDirectory, files: files)
        let root: YAMLNode?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            return LoadResult(farm: nil, diagnostics: [Self.syntaxDiagnostic(error, file: file)])
        }
        guard let root, let top = YAMLMapping(root, at: FieldPath(), keys: Self.topLevelKeys, context: context) else {
            if root == nil { context.error(FieldPath(), "the farm file is empty; it needs at least 'farm' and 'nodes'") }
            return LoadResult(farm: nil, diagnostics: context.placedDiagnostics())
        }
        let settings = SettingsSection.read(top.mapping("farm", keys: SettingsSection.keys, required: true), context: context)
        let images = ImagesSection.read(top.value("images"), context: context)
        let services = ServicesSection.read(top.value("services"), context: context)
        let discovery = DiscoverySection.read(top.mapping("discovery", keys: DiscoverySection.keys), context: context)
        let defaults = NodeDefaults.read(top.mapping("defaults", keys: NodeDefaults.keys), services: services)
        let nodes = NodesSection.read(top.value("nodes"), defaults: defaults, context: context)
        let servers = ServersSection.read(top.value("servers"), context: context)
        let farm = Farm(settings: settings, images: images, services: services, discovery: discovery, nodes: nodes, servers: servers)
        let validation = ValidationContext(files: checkFiles ? files.probe : nil, unreadable: context.unreadable)
        context.append(FarmValidator.validate(farm, context: validation))
        return LoadResult(farm: farm, diagnostics: context.placedDiagnostics(), sources: [text] + context.texts)
    }

    /// A YAML syntax error at its own position.
    static func syntaxDiagnostic(_ error: any Error, file: String) -> Diagnostic {
        guard let yaml = error as? YamlError else {
            return Diagnostic(.error, FieldPath(), "cannot parse YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Diagnostic(.error, FieldPath(), "YAML syntax: \(detail)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(.error, FieldPath(), "key \(keys) appears more than once in one mapping (the first is here); keep one", at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        case .reader(let problem, _, _, _):
            return Diagnostic(.error, FieldPath(), "YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return Diagnostic(.error, FieldPath(), "YAML: \(yaml)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

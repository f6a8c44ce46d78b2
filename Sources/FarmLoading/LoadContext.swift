import FarmModel
import Yams

/// The state of one load: diagnostics found so far, where each field was
/// read, which fields could not be read, and how to reach other files.
final class LoadContext {
    let file: String
    let baseDirectory: String
    let files: LocalFiles
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var sourceMap = SourceMap()
    private(set) var unreadable: Set<FieldPath> = []
    /// The text of every other file read (node lists), in reading order.
    private(set) var texts: [String] = []

    init(file: String, baseDirectory: String, files: LocalFiles) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.files = files
    }

    func location(of node: YAMLNode) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func record(_ path: FieldPath, at node: YAMLNode) { sourceMap.record(path, location(of: node)) }
    func record(_ path: FieldPath, at location: SourceLocation) { sourceMap.record(path, location) }

    func error(_ path: FieldPath, _ message: String) { diagnostics.append(.error(path, message)) }
    func warning(_ path: FieldPath, _ message: String) { diagnostics.append(.warning(path, message)) }

    /// An error for a field whose value is unusable; rules skip it afterwards.
    func unusable(_ path: FieldPath, _ message: String) {
        error(path, message)
        unreadable.insert(path)
    }

    /// Reads a file the farm file names, and keeps its text for `LoadResult.sources`.
    func read(_ path: String) throws(LocalFiles.ReadError) -> String {
        let text = try files.read(path)
        texts.append(text)
        return text
    }

    func markUnreadable(_ path: FieldPath) { unreadable.insert(path) }

    func append(_ found: [Diagnostic]) { diagnostics += found }

    /// A path from the farm file made absolute against the farm file's folder.
    func resolve(_ path: String) -> String { files.resolve(path, against: baseDirectory) }

    /// Every diagnostic with its position filled in, in file order.
    func placedDiagnostics() -> [Diagnostic] {
        diagnostics.map { diagnostic in
            var placed = diagnostic
            placed.location = placed.location ?? sourceMap.locate(diagnostic.path)
                ?? SourceLocation(file: file, line: 1, column: 1)
            return placed
        }.sortedByLocation()
    }
}

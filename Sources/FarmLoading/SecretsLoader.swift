import FarmModel
import FileIO
import Yams
import Glibc

/// Reads the secrets file `farm.secrets` names:
///
///     root-password-hash: "$6$salt$..."     # crypt(3), for rootpw --iscrypted
///     callback-key: "at least 32 characters, e.g. from openssl rand -hex 32"
///
/// It must be readable by its owner only. Problems are reported at their
/// file, line and column, never with the secret itself in the message.
public struct SecretsLoader: Sendable {
    public static let keys = ["root-password-hash", "callback-key"]

    private let files: LocalFiles

    public init(files: LocalFiles = LocalFiles()) { self.files = files }

    public func load(path: String) -> (secrets: FarmSecrets?, diagnostics: [Diagnostic]) {
        let start = SourceLocation(file: path, line: 1, column: 1)
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            return (nil, [Diagnostic(.error, FieldPath(), "the secrets file is readable by others (mode \(mode)); make it the owner's only: chmod 600 \(path)", at: start)])
        }
        let text: String
        do {
            text = try files.read(path)
        } catch {
            return (nil, [Diagnostic(.error, FieldPath(), error.description, at: start)])
        }
        return load(text: text, file: path)
    }

    /// Checks secrets text; `file` names it in diagnostics.
    public func load(text: String, file: String) -> (secrets: FarmSecrets?, diagnostics: [Diagnostic]) {
        let context = LoadContext(file: file, baseDirectory: PathName.directoryName(file), files: files)
        let root: YAMLNode?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            return (nil, [FarmLoader.syntaxDiagnostic(error, file: file)])
        }
        guard let root, let map = YAMLMapping(root, at: FieldPath(), keys: Self.keys, context: context) else {
            if root == nil { context.error(FieldPath(), "the secrets file is empty; it needs \(Self.keys.joined(separator: " and "))") }
            return (nil, context.placedDiagnostics())
        }
        let hash = map.string("root-password-hash", required: true)
        let key = map.string("callback-key", required: true)
        if let hash, !(hash.hasPrefix("$") && hash.count >= 13 && !hash.contains(where: \.isWhitespace)) {
            context.unusable(FieldPath() / "root-password-hash", "not a crypt(3) hash such as $6$salt$...; make one with: openssl passwd -6")
        }
        if let key, key.count < FarmSecrets.minimumKeyLength {
            context.unusable(FieldPath() / "callback-key", "the key has \(key.count) characters; use at least \(FarmSecrets.minimumKeyLength), e.g. from: openssl rand -hex 32")
        }
        let diagnostics = context.placedDiagnostics()
        guard let hash, let key, !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (FarmSecrets(rootPasswordHash: hash, callbackKey: key), diagnostics)
    }
}

import BootConfig
import Crypto

/// One digest over every input of a build that is given as a value: the
/// caller's inputs (the farm file's and node lists' text, pxefarm's own
/// identity), the templates in effect with where each came from, the
/// kickstart files (rendered with the secrets), the installed kernels and
/// the boot programs' paths. Files read from disk are not in it: the cache
/// keeps their signatures (`BuildCache.watched`). Each part is hashed with
/// its length, so no two different lists of parts give one digest.
struct InputDigest {
    /// Bumped whenever what a build makes from the same inputs changes in a
    /// way the binary's identity would not show.
    static let format = "pxefarm input digest 1"

    private var hasher = SHA256()

    init() { add(Self.format) }

    mutating func add(_ part: String) {
        let bytes = Array(part.utf8)
        hasher.update(data: Array("\(bytes.count):".utf8))
        hasher.update(data: bytes)
    }

    mutating func add(_ templates: Templates) {
        add("templates \(templates.texts.count) \(templates.origin) \(templates.siteDirectory ?? "-")")
        for path in templates.texts.keys.sorted() {
            add(path)
            add(templates.origin(of: path))
            add(templates.texts[path] ?? "")
        }
    }

    mutating func add(_ programs: BootPrograms) {
        add("programs")
        for path in [programs.pxelinux, programs.lpxelinux, programs.ldlinux, programs.ipxe, programs.shim, programs.grubNet, programs.ipxeEFI, programs.syslinuxEFI, programs.ldlinuxEFI] {
            add(path)
        }
    }

    mutating func add(_ files: [RenderedFile]) {
        add("files \(files.count)")
        for file in files {
            add(file.path)
            add(file.text)
        }
    }

    func finish() -> String { "sha256:" + Digest.hex(hasher.finalize()) }
}

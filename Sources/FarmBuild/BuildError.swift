import BootConfig
import Initrd

/// Why a build, plan or rollback stopped. One sentence each, naming the
/// path; an error of a module below (BootConfig, Initrd) is kept whole.
public enum BuildError: Error, Equatable, CustomStringConvertible {
    case io(path: String, action: String, reason: String)
    case refusedOutput(path: String, reason: String)
    case imageIncomplete(image: String, missing: String)
    /// No busybox the image's initrd can run: each candidate and why not.
    case noStaticBusybox(image: String, reasons: [String], remedy: String)
    case noGeneration(String)
    case unsupportedRoot(image: String, path: String)
    /// A root tarball that cannot be extracted; `reason` names the tarball and entry.
    case tarball(image: String, reason: String)
    /// A root tarball that Initrd's reader refuses (an entry, a path, the archive).
    case tarballEntry(image: String, InitrdError)
    case produce(path: String, reason: String)
    /// Packing an initrd (`what`: which one) failed in Initrd.
    case initrd(String, InitrdError)
    /// The configuration files could not be rendered.
    case configuration(BootConfigError)
    case notAKernel(path: String, reason: String)
    case kernelModulesMissing(version: String, image: String, modules: [String], looked: [String])
    /// A boot program the layout needs is not on the build machine; `package` installs it.
    case bootProgramMissing(image: String, program: String, path: String, package: String?)

    public var description: String {
        switch self {
        case let .io(path, action, reason): "cannot \(action) \(path): \(reason)"
        case let .refusedOutput(path, reason): "refusing to build into \(path): \(reason)"
        case let .imageIncomplete(image, missing): "image \(image) lacks \(missing)"
        case let .noStaticBusybox(image, reasons, remedy):
            "image \(image): no static busybox for its NFS-root initrd (\(reasons.joined(separator: "; "))): \(remedy)"
        case let .noGeneration(message): message
        case let .unsupportedRoot(image, path): "image \(image): cannot read the root \(path)"
        case let .tarball(image, reason): "image \(image): \(reason)"
        case let .tarballEntry(image, error): "image \(image): \(error)"
        case let .produce(path, reason): "cannot make \(path): \(reason)"
        case let .initrd(what, error): "cannot make \(what): \(error)"
        case let .configuration(error): error.description
        case let .notAKernel(path, reason): "\(path) is not a kernel: \(reason)"
        case let .kernelModulesMissing(version, image, modules, looked):
            "kernel \(version) has no modules for image \(image)'s initrd (\(modules.joined(separator: ", "))): looked in \(looked.joined(separator: ", ")); give --modules DIR (a lib/modules/\(version) tree with modules.dep)"
        case let .bootProgramMissing(image, program, path, package?):
            "image \(image) boots UEFI nodes with \(program), which needs \(path): install the Debian package \(package) (make deps does), or set images.\(image).efi to another choice or none"
        case let .bootProgramMissing(image, program, path, nil):
            "image \(image): the UEFI boot program \(path) (\(program)) does not exist"
        }
    }
}

import FarmModel
import Initrd

/// linux.2 of an image: the busybox NFS-root initrd (the build host's static
/// busybox, see `InitrdBusybox`) with the image's modules
/// and extra files, packed by the Initrd module. Its key is a hash of every
/// entry it would hold (files by path, size, time and inode; generated ones by
/// content), so an unchanged image is not packed again.
struct InitrdRecipe: OutputRecipe {
    let image: Image
    /// The site templates folder whose initrd/init and udhcpc script replace the built-in ones, if any.
    let templates: String?
    /// The modules of a kernel installed with `pxefarm kernel install`.
    var modulesDirectory: String? = nil
    /// farm.nfs as mount options, for /init's NFS mounts.
    var nfsOptions = ""
    /// Where the build host's static busybox is looked for.
    var busyboxCandidates = InitrdBusybox.hostCandidates

    func spec() throws(BuildError) -> InitrdSpec {
        do {
            let busybox = try InitrdBusybox(image: image.name, root: image.root, host: busyboxCandidates).choose()
            let nfsRoot = NFSRootInitrd(busybox: busybox, modules: try modules(), templates: InitrdTemplates(site: templates), nfsOptions: nfsOptions)
            var sources = try nfsRoot.sources()
            if !image.initrd.files.isEmpty {
                let entries = try image.initrd.files.map { file in
                    try InitrdEntry.diskFile(file.source, at: String(file.target.drop { $0 == "/" }), permissions: FileSystem.status(file.source)?.mode ?? 0o644)
                }
                sources.append(.entries(entries, origin: "images.\(image.name).initrd.files"))
            }
            return InitrdSpec(sources: sources)
        } catch let error as BuildError {
            throw error
        } catch let error as InitrdError {
            throw .initrd("the initrd of image \(image.name)", error)
        } catch {
            throw .produce(path: "the initrd of image \(image.name)", reason: "\(error)")
        }
    }

    /// The modules tree: the one `pxefarm kernel install` recorded, else the
    /// image's `lib/modules/<version of its kernel>`, else its only one.
    func modules() throws(BuildError) -> KernelModules? {
        guard !image.initrd.modules.isEmpty else { return nil }
        if let modulesDirectory { return KernelModules(directory: modulesDirectory, names: image.initrd.modules) }
        let base = image.root + "/lib/modules"
        let version = try? KernelImage(path: image.kernel).version
        if let version, FileSystem.status(base + "/" + version)?.kind == .directory {
            return KernelModules(directory: base + "/" + version, names: image.initrd.modules)
        }
        let versions = ((try? FileSystem.list(base)) ?? []).filter { FileSystem.status(base + "/" + $0)?.kind == .directory }
        guard version == nil, versions.count == 1 else {
            throw .kernelModulesMissing(version: version ?? "of \(image.kernel)", image: image.name, modules: image.initrd.modules, looked: [base + "/" + (version ?? "*")])
        }
        return KernelModules(directory: base + "/" + versions[0], names: image.initrd.modules)
    }

    func compression() throws(BuildError) -> CompressionSetting {
        do {
            let kind = Initrd.Compression(rawValue: image.initrd.compression.rawValue) ?? .gzip
            return try CompressionSetting(kind, level: image.initrd.level)
        } catch let error as InitrdError {
            throw .initrd("the initrd of image \(image.name)", error)
        } catch {
            throw .produce(path: "the initrd of image \(image.name)", reason: "\(error)")
        }
    }

    func inputsDigest() throws(BuildError) -> String {
        let entries: [InitrdEntry]
        do { entries = try spec().resolve() } catch let error as BuildError { throw error } catch let error as InitrdError {
            throw .initrd("the initrd of image \(image.name)", error)
        } catch {
            throw .produce(path: "the initrd of image \(image.name)", reason: "\(error)")
        }
        let setting = try compression()
        var listing = "\(setting.compression.rawValue) \(setting.level)\n"
        for entry in entries {
            listing += "\(entry.path) \(String(entry.permissions, radix: 8)) \(entry.uid):\(entry.gid) "
            switch entry.kind {
            case .directory: listing += "d"
            case .file(.bytes(let bytes)): listing += "f " + Digest.of(bytes)
            case .file(.disk(let file)): listing += "f \(file.path) \(file.size) \(file.modificationSeconds).\(file.modificationNanoseconds) \(file.inode)"
            case .symlink(let target): listing += "l " + target
            case .characterDevice(let major, let minor): listing += "c \(major) \(minor)"
            case .blockDevice(let major, let minor): listing += "b \(major) \(minor)"
            case .fifo: listing += "p"
            }
            listing += "\n"
        }
        return Digest.of(text: listing)
    }

    /// The files the initrd is packed from, and what decides which they are:
    /// the busybox candidates, the kernel (its version picks the modules),
    /// the modules tree's tables and the site's initrd templates.
    func watchedPaths() -> [String] {
        var paths = busyboxCandidates + [image.kernel, image.root + "/lib/modules"]
        for entry in (try? spec().resolve()) ?? [] {
            if case .file(.disk(let file)) = entry.kind { paths.append(file.path) }
        }
        if let directory = (try? modules())??.directory {
            paths.append(directory)
            paths += ((try? FileSystem.list(directory)) ?? []).filter { $0.hasPrefix("modules.") }.map { directory + "/" + $0 }
        }
        if let templates {
            paths += [templates, templates + "/initrd"] + InitrdTemplates.names.map { templates + "/" + $0 }
        }
        return paths
    }

    func produce(at path: String) throws(BuildError) {
        let setting = try compression()
        let spec = try spec()
        do {
            _ = try InitrdPacker.pack(spec, to: path, compression: setting)
        } catch let error as InitrdError {
            throw .initrd(path, error)
        } catch {
            throw .produce(path: path, reason: "\(error)")
        }
    }
}

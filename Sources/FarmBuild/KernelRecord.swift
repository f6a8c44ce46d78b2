import FarmModel
import Foundation

/// Kernels installed with `pxefarm kernel install`, per image, kept inside
/// each generation as kernels.json: a rollback returns to the kernel that
/// generation was built with, and the next build keeps it.
public struct KernelRecord: Codable, Equatable, Sendable {
    public struct Installed: Codable, Equatable, Sendable {
        public var version: String
        /// Paths relative to the output folder's .pxefarm state folder.
        public var kernel: String
        public var systemMap: String?
        public var modules: String?
    }

    public var images: [String: Installed] = [:]

    public init(images: [String: Installed] = [:]) { self.images = images }

    public static let fileName = "kernels.json"

    public static func load(generation: String) -> KernelRecord? {
        guard let bytes = try? FileSystem.read(generation + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(KernelRecord.self, from: Data(bytes))
    }

    public func encoded() throws(BuildError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n" } catch {
            throw .produce(path: Self.fileName, reason: "\(error)")
        }
    }

    /// The farm with each image's kernel and System.map taken from the
    /// record, and the modules folders the initrds must use.
    func apply(to farm: Farm, state: String) -> (farm: Farm, modules: [String: String]) {
        var farm = farm
        var modules: [String: String] = [:]
        for index in farm.images.indices {
            guard let installed = images[farm.images[index].name] else { continue }
            farm.images[index].kernel = state + "/" + installed.kernel
            if let map = installed.systemMap { farm.images[index].systemMap = state + "/" + map }
            if let directory = installed.modules { modules[farm.images[index].name] = state + "/" + directory }
        }
        return (farm, modules)
    }
}

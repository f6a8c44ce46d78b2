import Testing
import Foundation
@testable import FarmBuild

@Suite struct ImageCheckTests {
    @Test func anImageWithoutInitIsNamed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.removeItem(atPath: scratch.image + "/sbin/init")
        #expect(throws: BuildError.imageIncomplete(image: "base", missing: "an init program (/sbin/init, /bin/init, /init), which a node runs after switch_root")) {
            try scratch.builder().plan(scratch.farm())
        }
    }

    @Test func aDynamicInitNeedsItsLoaderInsideTheImage() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // A real dynamically linked program of this machine, without its loader.
        try FileManager.default.removeItem(atPath: scratch.image + "/sbin/init")
        try FileManager.default.copyItem(atPath: "/bin/ls", toPath: scratch.image + "/sbin/init")
        let loader = try #require(try ImageCheck.interpreter(of: "/bin/ls"))
        #expect(throws: BuildError.imageIncomplete(image: "base", missing: "\(loader), the dynamic loader its /sbin/init needs")) {
            try scratch.builder().plan(scratch.farm())
        }
        let inside = scratch.image + loader
        try FileManager.default.createDirectory(atPath: (inside as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try scratch.write("image" + loader, "loader")
        _ = try scratch.builder().plan(scratch.farm())
    }

    @Test func linksResolveInsideTheImageNotOnTheBuildMachine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(ImageCheck.resolve("sbin/init", in: scratch.image) == scratch.image + "/bin/busybox")
        try FileManager.default.createSymbolicLink(atPath: scratch.image + "/bin/loop", withDestinationPath: "loop")
        #expect(ImageCheck.resolve("bin/loop", in: scratch.image) == nil)
        #expect(try ImageCheck.interpreter(of: scratch.image + "/bin/busybox") == nil)
        #expect(ImageCheck.normalize("a/./b/../c") == "a/c")
    }
}

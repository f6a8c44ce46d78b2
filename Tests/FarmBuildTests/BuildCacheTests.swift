import Testing
import Foundation
import BootConfig
import FarmModel
@testable import FarmBuild

/// The input-keyed build cache: a build with the same inputs and an
/// untouched disk is planned from the record and writes nothing; any edited
/// input or tampered output makes a real build.
@Suite struct BuildCacheTests {
    func builder(_ scratch: Scratch, inputs: [String] = ["farm file text v1"]) -> Builder {
        var builder = scratch.builder()
        builder.inputs = inputs
        return builder
    }

    @Test func aRepeatedBuildIsPlannedFromTheRecordAndWritesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        let (full, first) = try builder(scratch).build(farm)
        #expect(first.filesWritten > 0)
        #expect(FileSystem.exists(scratch.out + "/.pxefarm/" + BuildCache.fileName))
        let planned = try builder(scratch).planned(farm)
        let cached = planned.cached, refreshed = planned.hit?.touched == true
        #expect(cached)
        #expect(!refreshed)
        // The same report as a plan made in full on the same disk.
        let again = try scratch.builder().plan(farm).plan
        #expect(again.changedCount == 0)
        #expect(PlanReport.text(planned.plan) == PlanReport.text(again))
        #expect(planned.plan.items == again.items)
        #expect(planned.plan.items.count == full.items.count)
        let (_, second) = try builder(scratch).build(farm)
        #expect(second.filesWritten == 0)
        #expect(second.changed == 0)
        #expect(second.generation == 1)
    }

    @Test func withoutInputsNoRecordIsKept() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.builder().build(scratch.farm())
        #expect(!FileSystem.exists(scratch.out + "/.pxefarm/" + BuildCache.fileName))
    }

    /// Builds, applies `edit`, and expects the next plan to be made in full
    /// and to change something; then the build after it is a cached no-op.
    func expectRebuild(_ scratch: Scratch, farm: Farm, _ why: Comment, builder make: (Scratch) -> Builder, edit: () throws -> Void,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        _ = try self.builder(scratch).build(farm)
        try edit()
        let builder = make(scratch)
        let planned = try builder.planned(farm)
        let cached = planned.cached, changed = planned.plan.changedCount
        #expect(!cached, why, sourceLocation: sourceLocation)
        #expect(changed > 0, why, sourceLocation: sourceLocation)
        let (_, summary) = try builder.build(farm)
        #expect(summary.filesWritten > 0, why, sourceLocation: sourceLocation)
        #expect(try builder.planned(farm).cached, why, sourceLocation: sourceLocation)
    }

    @Test func anEditedTemplateKernelOrImageMakesARealBuild() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        try expectRebuild(scratch, farm: farm, "a template", builder: { scratch in
            var builder = self.builder(scratch)
            var templates = Scratch.templates
            templates.texts["etc/exports.mustache", default: ""] += "# site note\n"
            builder = Builder(outputDirectory: scratch.out, templates: templates)
            builder.programs = scratch.programs
            builder.inputs = ["farm file text v1"]
            return builder
        }, edit: {})
        #expect(try scratch.read("out/etc/exports").hasSuffix("# site note\n"))
        try expectRebuild(scratch, farm: farm, "the kernel", builder: { self.builder($0) }, edit: { try scratch.write("vmlinuz", "kernel two") })
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.1") == "kernel two")
        try expectRebuild(scratch, farm: farm, "a file added to the image", builder: { self.builder($0) }, edit: { try scratch.write("image/etc/motd", "hello\n") })
        #expect(try scratch.read("out/nfsroot/.shared/base/etc/motd") == "hello\n")
        try expectRebuild(scratch, farm: farm, "an image file's mode", builder: { self.builder($0) }, edit: {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: scratch.image + "/etc/passwd")
        })
        #expect(FileSystem.status(scratch.out + "/nfsroot/.shared/base/etc/passwd")?.mode == 0o600)
        try expectRebuild(scratch, farm: farm, "a boot program", builder: { self.builder($0) }, edit: { try scratch.write("pxelinux.0", "pxelinux two") })
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.0") == "pxelinux two")
    }

    @Test func anEditedFarmFileOrSecretsMakeARealBuild() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var farm = scratch.farm()
        _ = try builder(scratch).build(farm)
        // The farm file's text (or a node list's) is an input: a new text, a new plan.
        farm.nodes.removeLast()
        var edited = builder(scratch, inputs: ["farm file text v2"])
        #expect(try !edited.planned(farm).cached)
        let (plan, _) = try edited.build(farm)
        #expect(plan.items.contains { $0.path == "tftpboot/X86PC/UNDI/boot/pxelinux.cfg/01-52-54-00-00-00-02" && $0.change == .delete })
        #expect(try edited.planned(farm).cached)
        // Kickstart files carry the secrets: other secrets, other files.
        edited.kickstart = [RenderedFile(path: "ks/n0.cfg", text: "rootpw --iscrypted $6$one\n")]
        #expect(try !edited.planned(farm).cached)
        _ = try edited.build(farm)
        edited.kickstart = [RenderedFile(path: "ks/n0.cfg", text: "rootpw --iscrypted $6$two\n")]
        #expect(try !edited.planned(farm).cached)
        _ = try edited.build(farm)
        #expect(try scratch.read("out/ks/n0.cfg") == "rootpw --iscrypted $6$two\n")
    }

    @Test func aTamperedNodeFileIsRepairedAndATouchedOneKept() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        _ = try builder(scratch).build(farm)
        let hostname = "out/nfsroot/n0/etc/hostname"
        let original = try scratch.read(hostname)
        try scratch.write(hostname, "tampered\n")
        #expect(try !builder(scratch).planned(farm).cached)
        let (_, repair) = try builder(scratch).build(farm)
        #expect(repair.filesWritten == 1)
        #expect(try scratch.read(hostname) == original)

        // Same bytes, new time: read and hashed once, kept, and recorded anew.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: scratch.out + "/nfsroot/n1/etc/hostname")
        let touched = try builder(scratch).planned(farm)
        let cached = touched.cached, refreshed = touched.hit?.touched == true
        #expect(cached)
        #expect(refreshed)
        let (_, kept) = try builder(scratch).build(farm)
        #expect(kept.filesWritten == 0)
        let recorded = try builder(scratch).planned(farm).hit?.touched == false
        #expect(recorded)

        // A node whose tree is gone is made again.
        try FileManager.default.removeItem(atPath: scratch.out + "/nfsroot/n2")
        #expect(try !builder(scratch).planned(farm).cached)
        let (_, remade) = try builder(scratch).build(farm)
        #expect(remade.nodesCreated == 1)
    }

    @Test func anotherCurrentGenerationIsNotTheRecordedOne() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        _ = try builder(scratch).build(farm)
        try scratch.write("vmlinuz", "kernel two")
        _ = try builder(scratch).build(farm)
        _ = try GenerationStore(layout: OutputLayout(root: scratch.out)).rollback()
        #expect(try !builder(scratch).planned(farm).cached)
    }

    @Test func theRecordReadsBackAsWritten() {
        let file = BuildCache.Signature(kind: .file, mode: 0o644, size: 12, modified: 1_700_000_000_123_456_789, changed: 1_700_000_001_000_000_000, inode: 42)
        let cache = BuildCache(
            inputs: "sha256:00ff", generation: 7, invocation: "sha256:11ee", nodes: 2,
            loaded: [BuildCache.Watched(path: "farm.yaml", signature: file), BuildCache.Watched(path: "/etc/pxefarm/templates", signature: nil)],
            watched: [BuildCache.Watched(path: "/image/etc/odd\tname%20\n", signature: file), BuildCache.Watched(path: "/absent", signature: nil)],
            items: [
                BuildCache.Item(path: "etc/dhcpd.conf", group: .config, placement: .generation),
                BuildCache.Item(path: "nfsroot/n1", group: .nodeRoots, placement: .nodeSeed),
                BuildCache.Item(path: "nfsroot/n1/etc/hostname", group: .nodeRoots, placement: .nodeManaged, key: "sha256:ab mode 0644", signature: file),
                BuildCache.Item(path: "nfsroot/n1/etc/machine-id", group: .nodeRoots, placement: .nodeIdentity, signature: nil),
            ],
            skipped: ["/image/run/socket"])
        let text = cache.encoded()
        #expect(BuildCache.decode(Array(text.utf8)) == cache)
        #expect(text.split(separator: "\n").count == 1 + 2 + 2 + 4 + 1)
        var unrecorded = cache
        unrecorded.invocation = nil
        #expect(BuildCache.decode(Array(unrecorded.encoded().utf8)) == unrecorded)
        #expect(BuildCache.decode(Array("pxefarm build cache 0\tsha256:00\t1\n".utf8)) == nil)
        // The format before the invocation: no record, a full build.
        #expect(BuildCache.decode(Array("pxefarm build cache 1\tsha256:00\t1\n".utf8)) == nil)
        #expect(BuildCache.decode(Array((text + "x\tunknown\n").utf8)) == nil)
        #expect(BuildCache.decode(Array(text.replacingOccurrences(of: "f:644:12", with: "q:644:12").utf8)) == nil)
        #expect(BuildCache.decode([]) == nil)
    }
}

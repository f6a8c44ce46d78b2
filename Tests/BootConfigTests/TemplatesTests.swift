import Foundation
import Testing
import TestSupport
@testable import BootConfig
import DefaultTemplates

@Suite struct TemplatesTests {
    @Test func textIsInsertedAsIsNotAsHTML() throws {
        let templates = Templates(texts: ["a.mustache": "prompt {{text}};\n"], origin: "/t")
        #expect(try templates.render("a.mustache", ["text": "Type <F8> & go"]) == "prompt Type <F8> & go;\n")
    }

    @Test func jsonEscapingQuotesWhatEndsAString() throws {
        let templates = Templates(texts: ["k.mustache": "{ \"x\": \"{{text}}\" }"], origin: "/t")
        #expect(try templates.render("k.mustache", ["text": "a\"b\\c\nd\u{1}"], escaping: .json) == "{ \"x\": \"a\\\"b\\\\c\\nd\\u0001\" }")
    }

    @Test func aSyntaxErrorNamesTheTemplateLineAndColumn() {
        let templates = Templates(texts: ["etc/x.mustache": "line one\n{{#hosts}}\nhost {{name}\n"], origin: "/site/templates")
        #expect {
            try templates.template("etc/x.mustache")
        } throws: { error in
            guard case BootConfigError.templateSyntax(let path, let line, _, _) = error else { return false }
            return path == "/site/templates/etc/x.mustache" && line == 3
        }
    }

    @Test func aMissingTemplateSaysWhichAndWhere() {
        let templates = Templates(texts: [:], origin: "/site/templates")
        #expect(throws: BootConfigError.templateMissing(path: "etc/dhcpd.conf.mustache", directory: "/site/templates")) {
            try DHCPDConfRenderer.render(BootSampleFarm.farm(), with: templates)
        }
        #expect(BootConfigError.templateMissing(path: "etc/dhcpd.conf.mustache", directory: "/site/templates").description
            == "template etc/dhcpd.conf.mustache is missing from /site/templates")
    }

    @Test func theRepositoryHasEveryTemplateTheRenderersUse() throws {
        let templates = try TemplateDirectory.load(RepositoryTemplates.directory)
        #expect(Set(BootConfiguration.templatePaths).isSubset(of: Set(templates.texts.keys)))
        for path in BootConfiguration.templatePaths {
            _ = try templates.template(path)
        }
    }
}

@Suite struct TemplateDirectoryTests {
    @Test func anExplicitDirectoryOrTheEnvironmentIsTakenAsGiven() throws {
        let scratch = try ScratchDirectory()
        let site = scratch.path + "/site", environment = scratch.path + "/env", system = scratch.path + "/etc"
        for folder in [site, environment, system] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        #expect(try TemplateDirectory.site(explicit: site, environment: ["PXEFARM_TEMPLATES": environment], systemSite: system) == site)
        #expect(try TemplateDirectory.site(explicit: nil, environment: ["PXEFARM_TEMPLATES": environment], systemSite: system) == environment)
        #expect(try TemplateDirectory.site(explicit: nil, environment: ["PXEFARM_TEMPLATES": ""], systemSite: system) == system)
        #expect(try TemplateDirectory.site(explicit: nil, environment: [:], systemSite: scratch.path + "/none") == nil)
    }

    @Test func aMistypedSiteFolderIsAnErrorNotTheDefaults() throws {
        #expect(throws: BootConfigError.templatesDirectoryMissing("/no/such/templates")) {
            try TemplateDirectory.resolve(explicit: nil, environment: ["PXEFARM_TEMPLATES": "/no/such/templates"])
        }
    }

    @Test func withoutASiteFolderTheBuiltInTemplatesAreUsed() throws {
        let found = try TemplateDirectory.resolve(explicit: nil, environment: [:], systemSite: "/nonexistent/pxefarm/templates")
        #expect(found.origin == Templates.builtInOrigin)
        #expect(found.siteDirectory == nil)
        #expect(found.texts == (try TemplateDirectory.load(RepositoryTemplates.directory)).texts)
    }

    @Test func aSiteFileReplacesOnlyTheBuiltInFileOfItsName() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path + "/etc", withIntermediateDirectories: true)
        try Data("# site exports\n{{#broken}\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/etc/exports.mustache"))
        let found = try TemplateDirectory.resolve(explicit: scratch.path, environment: [:])
        #expect(found.siteDirectory == scratch.path)
        #expect(found.texts["etc/exports.mustache"] == "# site exports\n{{#broken}\n")
        #expect(found.texts["etc/dhcpd.conf.mustache"] == Templates.builtIn.texts["etc/dhcpd.conf.mustache"])
        #expect(found.origin(of: "etc/dhcpd.conf.mustache") == Templates.builtInOrigin)
        // An error names the site's file, not the built-in one.
        #expect {
            try found.template("etc/exports.mustache")
        } throws: { error in
            guard case BootConfigError.templateSyntax(let path, _, _, _) = error else { return false }
            return path == scratch.path + "/etc/exports.mustache"
        }
    }
}

/// The templates compiled into the binary are templates/, byte for byte: the
/// generated source cannot drift from the files a reader edits.
@Suite struct DefaultTemplatesTests {
    @Test func theEmbeddedCopyIsTemplatesByteForByte() throws {
        let root = RepositoryTemplates.directory
        var onDisk: [String: [UInt8]] = [:]
        let walker = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            onDisk[relative] = try #require(FileManager.default.contents(atPath: root + "/" + relative)).map { $0 }
        }
        let embedded = DefaultTemplates.files.mapValues { Array($0.utf8) }
        #expect(Set(embedded.keys) == Set(onDisk.keys), "run `make embedded-templates` after changing templates/")
        for (path, bytes) in onDisk {
            #expect(embedded[path] == bytes, "\(path) differs from its embedded copy: run `make embedded-templates`")
        }
    }
}

@Suite struct ConfigWriterTests {
    @Test func writesEveryFileAndLeavesNoTemporaries() throws {
        let scratch = try ScratchDirectory()
        try ConfigWriter.write([RenderedFile(path: "etc/a.conf", text: "one\n"), RenderedFile(path: "tftpboot/x/y", text: "two\n")], into: scratch.path)
        try ConfigWriter.write([RenderedFile(path: "etc/a.conf", text: "three\n")], into: scratch.path)
        #expect(try String(contentsOfFile: scratch.path + "/etc/a.conf", encoding: .utf8) == "three\n")
        #expect(try String(contentsOfFile: scratch.path + "/tftpboot/x/y", encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/etc") == ["a.conf"])
    }

    @Test func refusesPathsOutsideTheFolderBeforeWritingAnything() throws {
        let scratch = try ScratchDirectory()
        #expect(throws: BootConfigError.cannotWrite(path: "../escape", reason: "not a plain path inside the output folder")) {
            try ConfigWriter.write([RenderedFile(path: "etc/ok", text: ""), RenderedFile(path: "../escape", text: "")], into: scratch.path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == [])
    }
}

import Foundation
import Testing
@testable import BootConfig

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
    static func makeTemplates(at directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/etc", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/" + TemplateDirectory.marker))
    }

    @Test func anExplicitDirectoryOrTheEnvironmentIsTakenAsGiven() throws {
        #expect(try TemplateDirectory.locate(explicit: "/site/t", environment: ["PXEFARM_TEMPLATES": "/env/t"], executable: "/usr/bin/pxefarm") == "/site/t")
        #expect(try TemplateDirectory.locate(explicit: nil, environment: ["PXEFARM_TEMPLATES": "/env/t"], executable: "/usr/bin/pxefarm") == "/env/t")
    }

    @Test func anInstalledBinaryFindsShareBesideIt() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path + "/prefix/bin", withIntermediateDirectories: true)
        try Self.makeTemplates(at: scratch.path + "/prefix/share/pxefarm/templates")
        let found = try TemplateDirectory.locate(explicit: nil, environment: [:], executable: scratch.path + "/prefix/bin/pxefarm")
        #expect(URL(fileURLWithPath: found).standardizedFileURL.path.hasSuffix("/prefix/share/pxefarm/templates"))
    }

    @Test func aBuildInACheckoutFindsTheCheckoutsTemplates() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path + "/repo/.build/debug", withIntermediateDirectories: true)
        try Self.makeTemplates(at: scratch.path + "/repo/templates")
        let found = try TemplateDirectory.locate(explicit: nil, environment: [:], executable: scratch.path + "/repo/.build/debug/pxefarm")
        #expect(URL(fileURLWithPath: found).standardizedFileURL.path.hasSuffix("/repo/templates"))
    }

    @Test func nothingFoundListsWhereItLooked() throws {
        let scratch = try ScratchDirectory()
        #expect {
            try TemplateDirectory.locate(explicit: nil, environment: [:], executable: scratch.path + "/bin/pxefarm")
        } throws: { error in
            guard case BootConfigError.templatesNotFound(let searched) = error else { return false }
            return searched.contains { $0.hasSuffix("/share/pxefarm/templates") }
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

import Testing
import TestSupport
@testable import PXEFarmCommands

let repository = GoldenFile.repository()

@Suite struct HelpTests {
    /// Every command's --help, as the built binary prints it.
    @Test(arguments: [[], ["kernel", "install"], ["initrd"], ["initrd", "pack"], ["initrd", "list"], ["check"], ["nodes"], ["config"], ["explain"], ["plan"], ["build"], ["rollback"], ["serve"], ["status"], ["import"], ["rollout"], ["rollout", "start"], ["rollout", "status"], ["rollout", "pause"], ["rollout", "resume"], ["rollout", "abort"], ["boot"]])
    func helpMatchesItsGoldenFile(_ command: [String]) throws {
        let output = try CommandRunner.run(command + ["--help"])
        #expect(output.status == 0)
        let name = (["pxefarm"] + command).joined(separator: "-")
        #expect(output.stdout == (try GoldenFile.expected(output.stdout, path: GoldenFile.fixtures() + "/help/\(name).txt")))
    }

    @Test func noArgumentsPrintsTheShortOverview() throws {
        let output = try CommandRunner.run([])
        #expect(output.status == 0)
        #expect(output.stderr == "")
        #expect(output.stdout == (try GoldenFile.expected(output.stdout, path: GoldenFile.fixtures() + "/help/pxefarm-overview.txt")))
        #expect(output.stdout.hasPrefix("pxefarm \(Version.current): "))
    }

    @Test func versionPrintsTheOneVersion() throws {
        let output = try CommandRunner.run(["--version"])
        #expect(output.status == 0)
        #expect(output.stdout == Version.current + "\n")
    }
}

@Suite struct CheckCommandTests {
    /// Needs the demo image (`make image`, which `make test` runs first).
    @Test func theExampleFarmChecksClean() throws {
        let output = try CommandRunner.run(["check", "examples/dc2/farm.yaml"], in: repository)
        #expect(output.stderr == "")
        #expect(output.status == 0)
        #expect(output.stdout == "examples/dc2/farm.yaml: ok: farm dc2, 65 nodes, 3 services, 1 image\n")
    }

    @Test func tenMistakesExitOneWithTenDiagnostics() throws {
        let output = try CommandRunner.run(["check", "Tests/FarmLoadingTests/Fixtures/ten-mistakes/farm.yaml"], in: repository)
        #expect(output.status == 1)
        #expect(output.stdout == "")
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines.last == "Tests/FarmLoadingTests/Fixtures/ten-mistakes/farm.yaml: 10 errors, 0 warnings")
        #expect(lines.first == "Tests/FarmLoadingTests/Fixtures/ten-mistakes/farm.yaml:8:3: error: farm.rooters: unknown key 'rooters'; did you mean \"routers\"?")
    }

    @Test func anUnreadableFileIsNamed() throws {
        let output = try CommandRunner.run(["check", "/nonexistent/farm.yaml"])
        #expect(output.status == 1)
        #expect(output.stderr.hasPrefix("/nonexistent/farm.yaml:1:1: error: cannot read /nonexistent/farm.yaml: No such file or directory\n"))
    }
}

@Suite struct NodesCommandTests {
    @Test func listsExpandedNodesAsATableAndJSON() throws {
        let table = try CommandRunner.run(["nodes", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml"], in: repository)
        #expect(table.status == 0)
        #expect(table.stdout == (try GoldenFile.expected(table.stdout, path: GoldenFile.fixtures() + "/small-nodes.txt")))
        let json = try CommandRunner.run(["nodes", "--json", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml"], in: repository)
        #expect(json.status == 0)
        #expect(json.stdout == (try GoldenFile.expected(json.stdout, path: GoldenFile.fixtures() + "/small-nodes.json")))
    }

    @Test func refusesAFarmWithErrors() throws {
        let output = try CommandRunner.run(["nodes", "Tests/FarmLoadingTests/Fixtures/ten-mistakes/farm.yaml"], in: repository)
        #expect(output.status == 1)
        #expect(output.stdout == "")
        #expect(output.stderr.hasSuffix("ten-mistakes/farm.yaml: 10 errors, 0 warnings; nothing done\n"))
    }
}

import Foundation
import Testing
import TestSupport
import FarmModel
@testable import BootConfig

/// Random valid farms, each rendered and read by dhcpd, kea-dhcp4 and dnsmasq.
@Suite struct RandomFarmToolTests {
    static let count = 300

    @Test(.needs(.dhcpd, .kea, .dnsmasq)) func randomValidFarmsPassEveryRealTool() async throws {
        let templates = try TemplateDirectory.load(RepositoryTemplates.directory)
        var random = SeededGenerator(seed: 2026)
        var farms: [Farm] = []
        for _ in 0..<Self.count {
            let farm = RandomFarms.farm(&random)
            let errors = FarmValidator.validate(farm).filter { $0.severity == .error }
            #expect(errors.isEmpty, "the generator made an invalid farm: \(errors)")
            if errors.isEmpty { farms.append(farm) }
        }
        #expect(farms.count == Self.count)
        let tools = [PeerTool.dhcpd, .kea, .dnsmasq]
        let scratch = try ScratchDirectory()
        for (index, farm) in farms.enumerated() {
            try ConfigWriter.write(BootConfiguration.render(farm, with: templates), into: "\(scratch.path)/\(index)")
        }
        let paths = [PeerTool.dhcpd.name: DHCPDConfRenderer.outputPath, PeerTool.kea.name: KeaConfRenderer.outputPath, PeerTool.dnsmasq.name: DnsmasqConfRenderer.outputPath]
        // Two at a time: the machine has two cores.
        let failures = try await withThrowingTaskGroup(of: String?.self) { group in
            var jobs = farms.indices.flatMap { index in tools.map { (index, $0) } }.makeIterator()
            func next() -> Bool {
                guard let (index, tool) = jobs.next() else { return false }
                let file = "\(scratch.path)/\(index)/\(paths[tool.name]!)"
                group.addTask {
                    let result = try tool.check(file)
                    return result.status == 0 ? nil : "farm \(index): \(tool.name) refused \(file):\n\(result.output)"
                }
                return true
            }
            _ = next()
            _ = next()
            var failures: [String] = []
            while let result = try await group.next() {
                if let result { failures.append(result) }
                _ = next()
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) refusals; first: \(failures.first ?? "")")
    }
}

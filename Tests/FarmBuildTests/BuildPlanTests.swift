import Testing
@testable import FarmBuild

@Suite struct BuildPlanTests {
    func resolved(_ path: String, _ key: String, placement: Placement = .generation) -> ResolvedOutput {
        ResolvedOutput(output: BuildOutput(path, .text(key), group: .tftp, placement: placement), key: key)
    }

    func manifest(_ entries: [String: String]) -> Manifest {
        Manifest(farm: "lab", generation: 4, outputs: entries.mapValues { Manifest.Entry(key: $0, group: .tftp, inputs: []) })
    }

    @Test func comparesGenerationOutputsWithTheLastManifest() {
        let plan = BuildPlan.make(
            outputs: [resolved("a", "1"), resolved("b", "2"), resolved("c", "3")],
            previous: manifest(["a": "1", "b": "old", "gone": "9"]), liveKeys: [:])
        #expect(plan.items.map { "\($0.change) \($0.path)" } == ["keep a", "update b", "create c", "delete gone"])
        #expect(plan.changedCount == 3)
        #expect(plan.changesGeneration)
        #expect(plan.previousGeneration == 4)
    }

    @Test func anUnchangedFarmChangesNothing() {
        let plan = BuildPlan.make(outputs: [resolved("a", "1")], previous: manifest(["a": "1"]), liveKeys: [:])
        #expect(plan.changedCount == 0)
        #expect(!plan.changesGeneration)
    }

    @Test func nodeSeedsAreMadeOnlyForNewNodesAndManagedFilesFollowTheFarm() {
        let outputs = [
            resolved("nfsroot/n1/etc/passwd", "seed", placement: .nodeSeed),
            resolved("nfsroot/n2/etc/passwd", "seed", placement: .nodeSeed),
            resolved("nfsroot/n1/etc/hostname", "n1", placement: .nodeManaged),
            resolved("nfsroot/n2/etc/hostname", "n2", placement: .nodeManaged),
        ]
        let live: [String: String?] = [
            "nfsroot/n1/etc/passwd": "present", "nfsroot/n2/etc/passwd": String?.none,
            "nfsroot/n1/etc/hostname": "edited", "nfsroot/n2/etc/hostname": String?.none,
        ]
        let plan = BuildPlan.make(outputs: outputs, previous: nil, liveKeys: live)
        #expect(plan.items.map { "\($0.change) \($0.path)" } == [
            "update nfsroot/n1/etc/hostname", "keep nfsroot/n1/etc/passwd",
            "create nfsroot/n2/etc/hostname", "create nfsroot/n2/etc/passwd",
        ])
        #expect(!plan.changesGeneration)
    }

    @Test func theReportCountsAndListsChanges() {
        let plan = BuildPlan.make(outputs: [resolved("a", "1"), resolved("b", "2")], previous: manifest(["a": "1", "c": "3"]), liveKeys: [:])
        #expect(PlanReport.text(plan) == """
              TFTP tree             1 create, 0 update, 1 delete, 1 unchanged
              + b
              - c
            2 changed

            """)
    }
}

/// Groups disk files with the same device and inode. Each group shares the inode
/// number of its first member; the last member carries the data.
struct HardLinks {
    private var inodes: [Int]
    private var groupSizes: [Int]
    private var lastMember: Set<Int> = []

    init(_ entries: [InitrdEntry]) {
        inodes = (0..<entries.count).map { $0 + 1 }
        groupSizes = Array(repeating: 1, count: entries.count)
        var groups: [DiskIdentity: [Int]] = [:]
        for (index, entry) in entries.enumerated() {
            if case let .file(.disk(file)) = entry.kind {
                groups[DiskIdentity(device: file.device, inode: file.inode), default: []].append(index)
            } else if case .file = entry.kind {
                lastMember.insert(index)
            }
        }
        for members in groups.values {
            for member in members {
                inodes[member] = members[0] + 1
                groupSizes[member] = members.count
            }
            lastMember.insert(members[members.count - 1])
        }
    }

    func inode(of index: Int) -> Int { inodes[index] }
    func count(of index: Int) -> Int { groupSizes[index] }
    func carriesData(_ index: Int) -> Bool { lastMember.contains(index) }
}

private struct DiskIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
}

import ArgumentParser
import FarmModel
import Foundation

/// `pxefarm nodes farm.yaml`: the nodes after range expansion and defaults.
struct NodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "List the farm's nodes, ranges expanded, as a table or JSON.")

    @OptionGroup var farm: FarmFileOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let loaded = try farm.load()
        let rows = NodeListing.rows(of: loaded)
        print(json ? try NodeListing.json(rows) : NodeListing.table(rows), terminator: "")
    }
}

/// The node list as rows, a text table and JSON.
enum NodeListing {
    struct Row: Encodable, Equatable {
        var name, mac, ip, service: String
        var type: UInt16
        var root: String
        var rootPath: String?
        var kernelArgs: String
    }

    static func rows(of farm: Farm) -> [Row] {
        farm.nodes.map { node in
            let service = farm.service(named: node.service)
            let root = service?.root ?? .local
            let arguments = [service?.kernelArguments ?? "", node.kernelArguments].filter { !$0.isEmpty }.joined(separator: " ")
            return Row(
                name: node.name, mac: node.mac.description, ip: node.ip.description, service: node.service,
                type: service?.type ?? 0, root: root.rawValue,
                rootPath: root == .nfs ? farm.settings.rootPath(of: node.name) : nil, kernelArgs: arguments)
        }
    }

    static func table(_ rows: [Row]) -> String {
        let header = ["NAME", "MAC", "IP", "SERVICE", "TYPE", "ROOT", "KERNEL ARGS"]
        let cells = rows.map { row in
            [row.name, row.mac, row.ip, row.service, String(row.type), row.rootPath.map { "nfs:\($0)" } ?? row.root, row.kernelArgs]
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        return ([header] + cells).map { line in
            line.enumerated().map { column, cell in
                column == line.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trailingSpacesRemoved + "\n"
        }.joined()
    }

    static func json(_ rows: [Row]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

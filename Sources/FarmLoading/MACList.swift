import FarmModel
import NetbootWire

/// The MAC addresses of a node range, from an inline list or a CSV file.
/// A CSV row is `MAC` or `NAME,MAC` (an optional first row `name,mac` is a
/// header; blank lines and lines starting with # are skipped). With names,
/// rows are matched to the range's names; without, they are taken in order.
struct MACList {
    struct Row {
        var name: String?
        var mac: String
        var path: FieldPath
    }

    var rows: [Row] = []

    static func fromCSV(_ file: String, at base: FieldPath, context: LoadContext) -> MACList? {
        let text: String
        do {
            text = try context.read(file)
        } catch {
            context.unusable(base, "\(error)")
            return nil
        }
        var list = MACList()
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmed(of: " \t")
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmed(of: " \t") }
            if list.rows.isEmpty, fields.map({ $0.lowercased() }) == ["name", "mac"] || fields.map({ $0.lowercased() }) == ["mac"] { continue }
            let path = base[list.rows.count]
            let column = (line.firstIndex(where: { $0 != " " && $0 != "\t" }).map { line.distance(from: line.startIndex, to: $0) } ?? 0) + 1
            context.record(path, at: SourceLocation(file: file, line: lineNumber, column: column))
            switch fields.count {
            case 1: list.rows.append(Row(name: nil, mac: fields[0], path: path))
            case 2: list.rows.append(Row(name: fields[0], mac: fields[1], path: path))
            default:
                context.error(path, "expected MAC or NAME,MAC, found \(fields.count) fields")
            }
        }
        return list
    }

    static func fromList(_ items: [(node: YAMLNode, path: FieldPath)], map: YAMLMapping) -> MACList {
        MACList(rows: items.compactMap { item in
            map.scalar(item.node, at: item.path).map { Row(name: nil, mac: $0, path: item.path) }
        })
    }

    /// One (MAC, its path) per name of the range, or nil after reporting why not.
    func assign(to names: [String], range: String, at base: FieldPath, context: LoadContext) -> [(mac: MACAddress, path: FieldPath)?]? {
        let named = rows.contains { $0.name != nil }
        var byName: [String: Row] = [:]
        if named {
            for row in rows {
                guard let name = row.name else {
                    context.error(row.path, "this row has no name while others do; write NAME,MAC on every row")
                    return nil
                }
                if byName[name] != nil {
                    context.error(row.path, "\(name) appears twice in the MAC list")
                    continue
                }
                if !names.contains(name) {
                    context.error(row.path, "\(name) is not a node of \(range)")
                }
                byName[name] = row
            }
        } else if rows.count != names.count {
            context.unusable(base, "\(range) has \(names.count) nodes but the MAC list has \(rows.count) entries")
            return nil
        }
        var missing: [String] = []
        let assigned: [(mac: MACAddress, path: FieldPath)?] = names.enumerated().map { index, name in
            guard let row = named ? byName[name] : rows[index] else {
                missing.append(name)
                return nil
            }
            guard let mac = MACAddress(row.mac) else {
                context.error(row.path, "\"\(row.mac)\" is not a MAC address (six hex pairs, such as 00:D0:B7:1B:12:ED)")
                return nil
            }
            return (mac, row.path)
        }
        if !missing.isEmpty {
            let shown = missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? " and \(missing.count - 5) more" : "")
            context.error(base, "no MAC address for \(shown)")
        }
        return assigned
    }
}

extension StringProtocol {
    func trimmed(of set: String) -> String {
        let scalars = Array(self)
        var start = 0, end = scalars.count
        while start < end, set.contains(scalars[start]) { start += 1 }
        while end > start, set.contains(scalars[end - 1]) { end -= 1 }
        return String(scalars[start..<end])
    }
}

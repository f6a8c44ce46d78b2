import Foundation
import Testing
import TestSupport

/// Golden files under Tests/BootConfigTests/Fixtures/, through the shared
/// `GoldenFile` (UPDATE_GOLDEN=1 rewrites them instead of comparing).
enum Golden {
    static let fixtures = URL(fileURLWithPath: GoldenFile.fixtures())

    static func check(_ text: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try GoldenFile.expected(text, path: fixtures.appendingPathComponent(name).path)
        #expect(text == expected, "differs from Fixtures/\(name); if the change is intended, run with UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
    }
}

/// The repository's own templates/ directory.
enum RepositoryTemplates {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates").path
}

import Foundation
import Testing
import TestSupport

/// The repository's own templates/ directory.
enum RepositoryTemplates {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates").path
}

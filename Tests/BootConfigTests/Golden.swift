import Foundation
import Testing
import TestSupport

/// The repository's own templates/ directory.
enum RepositoryTemplates {
    static let directory = GoldenFile.templates()
}

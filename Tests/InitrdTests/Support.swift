import Foundation
import Testing
import TestSupport
@testable import Initrd

/// The checkout's templates folder.
let repositoryTemplates = GoldenFile.templates()

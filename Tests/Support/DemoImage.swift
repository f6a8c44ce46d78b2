import Foundation
import Testing

/// The demo image `make image` builds (images/busybox: a busybox root and a
/// kernel), which tests that build or boot a real farm use.
public enum DemoImage {
    public static let path = GoldenFile.repository() + "/images/busybox"

    public static var isBuilt: Bool {
        FileManager.default.fileExists(atPath: path + "/vmlinuz") && FileManager.default.isExecutableFile(atPath: path + "/root/bin/busybox")
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the demo image is built.
    public static var needsDemoImage: Self {
        .enabled(if: DemoImage.isBuilt, "needs the demo image (make image, or bash images/busybox/build.sh)")
    }
}

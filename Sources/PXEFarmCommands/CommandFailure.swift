import ArgumentParser

/// A library error as the user sees it: `pxefarm: <message>` on stderr, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}

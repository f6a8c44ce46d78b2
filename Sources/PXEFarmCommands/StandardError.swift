import Foundation

/// Writes one line to standard error, where messages for people go.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

import Testing
import TestSupport
@testable import NetbootWire
@Suite struct PXEVendorOptionsPropertyTests {
    static func randomText(_ random: inout SeededGenerator, maxLength: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<>-_.()é")
        return String((0..<Int.random(in: 0...maxLength, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    static func randomOptions(_ random: inout SeededGenerator) -> PXEVendorOptions {
        var options = PXEVendorOptions()
        func maybe(_ random: inout SeededGenerator) -> Bool { Bool.random(using: &random) }
        if maybe(&random) { options.discoveryControl = PXEDiscoveryControl(rawValue: UInt8.random(in: 0...15, using: &random)) }
        if maybe(&random) { options.multicastDiscoveryAddress = IPv4Address(UInt32.random(in: 0xE000_0000...0xEFFF_FFFF, using: &random)) }
        if maybe(&random) { options.mtftpAddress = IPv4Address(UInt32.random(in: 0...UInt32.max, using: &random)) }
        if maybe(&random) { options.mtftpClientPort = UInt16.random(in: 0...UInt16.max, using: &random) }
        if maybe(&random) { options.mtftpTimeout = UInt8.random(in: 0...255, using: &random) }
        if maybe(&random) {
            options.bootServers = (0..<Int.random(in: 0...5, using: &random)).map { _ in
                PXEBootServerList(type: UInt16.random(in: 0...UInt16.max, using: &random),
                                  servers: (0..<Int.random(in: 0...8, using: &random)).map { _ in IPv4Address(UInt32.random(in: 0...UInt32.max, using: &random)) })
            }
        }
        if maybe(&random) {
            options.bootMenu = (0..<Int.random(in: 0...7, using: &random)).map { _ in
                PXEMenuItem(type: UInt16.random(in: 0...UInt16.max, using: &random), text: randomText(&random, maxLength: 30))
            }
        }
        if maybe(&random) { options.prompt = PXEPrompt(timeout: UInt8.random(in: 0...255, using: &random), text: randomText(&random, maxLength: 40)) }
        if maybe(&random) { options.bootItem = PXEBootItem(type: UInt16.random(in: 0...UInt16.max, using: &random), layer: UInt16.random(in: 0...9, using: &random)) }
        return options
    }

    @Test func randomMenusAndServerListsRoundTrip() throws {
        var random = SeededGenerator(seed: 43)
        var encoded = 0
        var refused = 0
        for _ in 0..<400 {
            let options = Self.randomOptions(&random)
            do {
                let bytes = try options.encode()
                #expect(bytes.count <= 255)
                #expect(bytes.last == 255)
                let decoded = try PXEVendorOptions.decode(bytes)
                #expect(decoded == options)
                #expect(try decoded.encode() == bytes)
                encoded += 1
            } catch {
                // Only encoding may refuse, and only a value that truly does not fit;
                // what was encoded always decodes.
                switch error {
                case .menuTextTooLong, .tooManyServers, .subOptionTooLong, .option43TooLong, .unusableTag: break
                default: Issue.record("what encoded did not decode again: \(error)")
                }
                let size = options.subOptions.reduce(1) { $0 + 2 + $1.value.count }
                #expect(size > 255, "refused \(options) of \(size) bytes: \(error)")
                refused += 1
            }
        }
        #expect(encoded > 200)
        #expect(refused > 0)
    }

    @Test func randomBytesNeverCrashTheDecoderOrTheDescriber() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in
                // Mostly small tags and lengths so the walk gets deep into values.
                Bool.random(using: &random) ? UInt8.random(in: 0...12, using: &random) : UInt8.random(in: 0...255, using: &random)
            }
            let described = PXEOptionDescriber.describe(bytes)
            switch Result(catching: { try PXEVendorOptions.decode(bytes) }) {
            case .success: #expect(!described.hasProblems)
            case .failure: #expect(described.hasProblems)
            }
        }
    }
}

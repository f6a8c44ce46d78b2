import Foundation
import NetbootWire
import Testing
@testable import FarmServer

@Suite struct TFTPNegotiationTests {
    let limits = TFTPNegotiation.Limits(maximumBlockSize: 1468, maximumWindowSize: 64, defaultTimeout: 1)

    func negotiate(_ pairs: [(String, String)], size: Int = 1000) throws(TFTPNegotiation.Refusal) -> TFTPNegotiation {
        try TFTPNegotiation(options: pairs.map { TFTPOption($0.0, $0.1) }, fileSize: size, limits: limits)
    }

    @Test func noOptionsMeansNoOptionAck() throws {
        let result = try negotiate([])
        #expect(!result.sendsOptionAck)
        #expect(result.blockSize == 512 && result.windowSize == 1 && result.timeout == 1)
    }

    @Test func acknowledgesInOrderClampedCaseKept() throws {
        let result = try negotiate([("BLKSIZE", "9000"), ("tsize", "0"), ("Timeout", "7"), ("windowSize", "200"), ("multicast", ""), ("x-foo", "bar")], size: 12345)
        #expect(result.blockSize == 1468)
        #expect(result.windowSize == 64)
        #expect(result.timeout == 7 && result.timeoutFromClient)
        #expect(result.acknowledged == [TFTPOption("BLKSIZE", "1468"), TFTPOption("tsize", "12345"), TFTPOption("Timeout", "7"), TFTPOption("windowSize", "64")])
    }

    @Test func unknownOptionsAloneGiveNoOptionAck() throws {
        #expect(try !negotiate([("foo", "1"), ("foo", "2")]).sendsOptionAck)
    }

    @Test(arguments: [
        ("blksize", "0"), ("blksize", "7"), ("blksize", "65465"), ("blksize", "abc"), ("blksize", ""),
        ("blksize", "-1"), ("blksize", " 512"), ("blksize", "512 "), ("blksize", "99999999999999999999999"),
        ("timeout", "0"), ("timeout", "256"), ("timeout", "1.5"),
        ("windowsize", "0"), ("windowsize", "65536"),
    ])
    func badValuesAreRefused(_ name: String, _ value: String) {
        #expect(throws: TFTPNegotiation.Refusal.self) { try negotiate([(name, value)]) }
    }

    /// A read request's tsize value says nothing (atftp sends "enable", tftpd-hpa
    /// answers it): any value gets the file's size.
    @Test(arguments: ["0", "enable", "", "x", "123456789012345678901234567890"])
    func anyTsizeValueIsAnsweredWithTheSize(_ value: String) throws {
        #expect(try negotiate([("tsize", value)], size: 4242).acknowledged == [TFTPOption("tsize", "4242")])
    }

    @Test func edgesOfTheRanges() throws {
        #expect(try negotiate([("blksize", "8")]).blockSize == 8)
        #expect(try TFTPNegotiation(options: [TFTPOption("blksize", "65464")], fileSize: 1,
                                    limits: .init(maximumBlockSize: 65464)).blockSize == 65464)
        #expect(try negotiate([("timeout", "255")]).timeout == 255)
        #expect(try negotiate([("windowsize", "1")]).windowSize == 1)
        #expect(try negotiate([("windowsize", "65535")]).windowSize == 64)
    }

    @Test func duplicatesAreRefused() {
        #expect(throws: TFTPNegotiation.Refusal.duplicate("blksize")) { try negotiate([("blksize", "512"), ("BlkSize", "1024")]) }
        #expect(throws: TFTPNegotiation.Refusal.outOfRange(option: "timeout", value: "0", range: 1...255)) { try negotiate([("timeout", "0")]) }
        #expect(throws: TFTPNegotiation.Refusal.notANumber(option: "blksize", value: "abc")) { try negotiate([("blksize", "abc")]) }
    }
}

@Suite struct InterfaceMTUTests {
    @Test func loopbackMTUIsReadAndTheBlockLimitLeavesRoomForHeaders() throws {
        let index = Int(if_nametoindex("lo"))
        try #require(index > 0, "no lo interface")
        let text = try String(contentsOfFile: "/sys/class/net/lo/mtu", encoding: .utf8)
        #expect(InterfaceMTU.mtu(interfaceIndex: index) == Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(InterfaceMTU.mtu(interfaceIndex: 999_999) == nil)
        #expect(InterfaceMTU.blockSizeLimit(mtu: 1500) == 1468)
        #expect(InterfaceMTU.blockSizeLimit(mtu: 65536) == 65464)
        #expect(InterfaceMTU.blockSizeLimit(mtu: 9000) == 8968)
    }
}

import Foundation
import Testing
import FarmModel
import FarmLoading

@Suite struct SecretsLoaderTests {
    static let hash = "$6$pxefarmtest$SoPSJkxtT97Gs0Y8V0aBrsONlDCKU9gsBYi9cyGuDQQtadFon4i7yQDbLnUe0N523W2AXgT.s9dCijKxS16Fx1"
    static let key = "test-callback-key-0123456789abcdef-not-for-production"

    static func file(_ text: String, mode: Int) throws -> (path: String, cleanup: () -> Void) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/secrets.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return (path, { try? FileManager.default.removeItem(atPath: folder) })
    }

    @Test func readsTheHashAndKey() throws {
        let (path, cleanup) = try Self.file("root-password-hash: \"\(Self.hash)\"\ncallback-key: \(Self.key)\n", mode: 0o600)
        defer { cleanup() }
        let (secrets, diagnostics) = SecretsLoader().load(path: path)
        #expect(diagnostics.isEmpty)
        #expect(secrets == FarmSecrets(rootPasswordHash: Self.hash, callbackKey: Self.key))
    }

    @Test func aFileOthersCanReadIsRefused() throws {
        let (path, cleanup) = try Self.file("root-password-hash: \"\(Self.hash)\"\ncallback-key: \(Self.key)\n", mode: 0o644)
        defer { cleanup() }
        let (secrets, diagnostics) = SecretsLoader().load(path: path)
        #expect(secrets == nil)
        #expect(diagnostics.map(\.description) == ["\(path):1:1: error: the secrets file is readable by others (mode 644); make it the owner's only: chmod 600 \(path)"])
    }

    /// Each problem at its line, and never the secret in the message.
    @Test func badValuesArePlacedWithoutEchoingThem() {
        let (secrets, diagnostics) = SecretsLoader().load(text: "root-password-hash: hunter2\ncallback-key: short\n", file: "secrets.yaml")
        #expect(secrets == nil)
        #expect(diagnostics.map(\.description) == [
            "secrets.yaml:1:21: error: root-password-hash: not a crypt(3) hash such as $6$salt$...; make one with: openssl passwd -6",
            "secrets.yaml:2:15: error: callback-key: the key has 5 characters; use at least 32, e.g. from: openssl rand -hex 32",
        ])
        #expect(!diagnostics.map(\.description).joined().contains("hunter2"))
    }

    @Test func missingAndUnknownKeysArePlaced() {
        let (secrets, diagnostics) = SecretsLoader().load(text: "root-password-hash: \"\(Self.hash)\"\ncallback-kee: x\n", file: "secrets.yaml")
        #expect(secrets == nil)
        let printed = diagnostics.map(\.description)
        #expect(printed.contains { $0.hasPrefix("secrets.yaml:2:1: error:") && $0.contains("callback-kee") })
        #expect(printed.contains { $0.contains("callback-key") && $0.contains("missing") || $0.contains("required") })
    }

    /// `farm.secrets` is a path like the others: relative to the farm file.
    @Test func farmSecretsKeyIsResolvedAgainstTheFarmFile() throws {
        let yaml = """
            farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/24, secrets: private/secrets.yaml}
            services:
              - {type: 0, name: local}
            nodes:
              - {name: a1, mac: "52:54:00:00:00:01", ip: 10.0.0.11, service: local}

            """
        let result = FarmLoader().load(text: yaml, file: "farm.yaml", baseDirectory: "/srv/farm", checkFiles: false)
        #expect(result.diagnostics.isEmpty)
        #expect(result.farm?.settings.secrets == "/srv/farm/private/secrets.yaml")
        let without = FarmLoader().load(text: yaml.replacingOccurrences(of: ", secrets: private/secrets.yaml", with: ""), file: "farm.yaml", baseDirectory: "/srv/farm", checkFiles: false)
        #expect(without.farm?.settings.secrets == nil)
    }
}

extension SecretsLoaderTests {
    /// A node on a kickstart service without farm.secrets: warned at check
    /// time, at the service's kickstart key, before config refuses.
    @Test func kickstartNodesWithoutSecretsAreWarnedAbout() {
        let yaml = """
            farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/24}
            images:
              base: {root: root, kernel: vmlinuz}
            services:
              - {type: 13, name: linux-install, image: base, root: ram, kickstart: ks.cfg.mustache}
            nodes:
              - {name: a1, mac: "52:54:00:00:00:01", ip: 10.0.0.11}

            """
        let printed = FarmLoader().load(text: yaml, file: "farm.yaml", baseDirectory: "/srv", checkFiles: false).diagnostics.map(\.description)
        #expect(printed == ["farm.yaml:5:72: warning: services[0].kickstart: a1 boots linux-install, but farm.secrets is not set: its kickstart file needs the root password hash and callback key from a secrets file, so pxefarm config will refuse"])
        let withSecrets = yaml.replacingOccurrences(of: "subnet: 10.0.0.0/24}", with: "subnet: 10.0.0.0/24, secrets: s.yaml}")
        #expect(FarmLoader().load(text: withSecrets, file: "farm.yaml", baseDirectory: "/srv", checkFiles: false).diagnostics.isEmpty)
    }
}

import BootConfig
import FarmModel
import NetbootWire
import NIOCore
import Rollout

/// The HTTP side of the boot state: installers' kickstart files and
/// callbacks, and iPXE scripts, each answered for the farm as served now.
extension BootStateController {
    /// An install callback, looked at under the lock: answered at once, or a change to write.
    private enum Callback {
        case refused(HTTPAnswer)
        case checked(BootChange)
    }

    /// `GET /ks/<node>.cfg`: the node's kickstart file, rendered for the
    /// install service it boots now, and only to the node's own address
    /// (the file carries the node's callback token).
    public func kickstart(node name: String, from address: IPv4Address) -> HTTPAnswer {
        let (answer, later) = state.withLockedValue { state -> (HTTPAnswer, [Later]) in
            let later = refresh(&state)
            let farm = state.engine.farm
            guard let node = farm.node(named: name) else { return (.text(404, "the farm has no node \(name)", logReason: "unknown-node"), later) }
            guard address == node.ip else {
                logger.warning("kickstart refused", metadata: ["node": "\(name)", "from": "\(address)", "reason": "not the node's address \(node.ip)"])
                return (.text(403, "only \(name) (\(node.ip)) may fetch its kickstart file", logReason: "not-the-nodes-address"), later)
            }
            let serviceName = state.engine.serving.node(named: name)?.service ?? node.service
            guard let service = farm.service(named: serviceName), let template = service.kickstart else {
                return (.text(404, "\(name) is not installing: it boots \(serviceName)", logReason: "not-installing"), later)
            }
            guard let secrets = state.sources.secrets else {
                return (.text(503, "kickstart files need the farm's secrets: \(state.sources.secretsProblem ?? "farm.secrets is not set")", logReason: "no-secrets"), later)
            }
            var installing = node
            installing.service = serviceName
            do {
                let file = try KickstartRenderer.render(node: installing, template: template, farm: farm,
                                                        with: state.sources.kickstarts, secrets: secrets)
                stages?.record(node: name, stage: .kickstart, detail: "\(KickstartRenderer.outputPath(of: name)) for \(serviceName)", address: "\(address)")
                return (.ok(file.text, logReason: "kickstart"), later)
            } catch {
                logger.error("kickstart not rendered", metadata: ["node": "\(name)", "reason": "\(error)"])
                return (.text(500, "the kickstart file of \(name) cannot be rendered: \(error)", logReason: "kickstart-not-rendered"), later)
            }
        }
        carryOut(later)
        return answer
    }

    /// `/done/<node>?token=…`: the install finished; with the node's token
    /// (and only then) the node boots locally from its next boot, and the
    /// rollout moves on. The token is checked under the lock; the change is
    /// written after it.
    public func done(node name: String, token: String, from address: IPv4Address) -> HTTPAnswer {
        let now = clock()
        let (checked, later) = state.withLockedValue { state -> (Callback, [Later]) in
            let later = refresh(&state)
            guard let node = state.engine.farm.node(named: name) else {
                return (.refused(.text(404, "the farm has no node \(name)", logReason: "unknown-node")), later)
            }
            guard let secrets = state.sources.secrets else {
                return (.refused(.text(503, "callbacks need the farm's secrets: \(state.sources.secretsProblem ?? "farm.secrets is not set")", logReason: "no-secrets")), later)
            }
            guard CallbackToken.matches(token, node: name, key: secrets.callbackKey) else {
                logger.warning("install callback refused", metadata: ["node": "\(name)", "from": "\(address)", "reason": "wrong token"])
                return (.refused(.text(403, "wrong token for \(name)", logReason: "wrong-token")), later)
            }
            return (.checked(state.engine.done(node: node, now: now, from: "\(address)")), later)
        }
        carryOut(later)
        let change: BootChange
        switch checked {
        case .refused(let answer): return answer
        case .checked(let checked): change = checked
        }
        switch persist(change) {
        case .success(let outcome):
            stages?.record(node: name, stage: .installDone, detail: outcome.events.first.map { "\($0)" } ?? "done", address: "\(address)")
            return .text(200, "\(name): install recorded; it boots locally from its next boot", logReason: "done")
        case .failure(let error as RolloutError) where error.isRefusal:
            return .text(409, "\(error)", logReason: "not-installing")
        case .failure(let error):
            return .text(500, "\(name): not recorded: \(error)", logReason: "state-unwritable")
        }
    }

    /// The HTTP listener's responder: kickstart files, callbacks and boot files.
    public func respond(_ request: HTTPRequestInfo) -> HTTPAnswer {
        switch request.route {
        case .kickstart(let node): kickstart(node: node, from: request.peer)
        case .done(let node, let token): done(node: node, token: token, from: request.peer)
        case .bootScript(let mac): bootScript(mac: mac, base: request.base, from: request.peer)
        case .bootFile: .text(404, "boot files are served by the listener itself", logReason: "no-boot-files")
        case .metrics: .text(404, "metrics are answered by the daemon, not the boot-state controller", logReason: "not-found")
        }
    }

    /// `GET /boot/01-<mac>.ipxe`: the node's iPXE script for the service it
    /// boots now, its boot files at `base` (where the request came in).
    public func bootScript(mac: MACAddress, base: String, from address: IPv4Address) -> HTTPAnswer {
        let (answer, later) = state.withLockedValue { state -> (HTTPAnswer, [Later]) in
            let later = refresh(&state)
            let farm = state.engine.serving
            guard let node = farm.nodes.first(where: { $0.mac == mac }) else {
                return (.text(404, "the farm has no node with MAC \(mac)", logReason: "unknown-mac"), later)
            }
            do {
                guard let script = try IPXEScriptRenderer.script(for: node, in: farm, base: base, with: state.sources.templates) else {
                    return (.text(404, "\(node.name) boots \(node.service), which the farm does not have", logReason: "unknown-service"), later)
                }
                stages?.record(node: node.name, stage: .config, detail: "\(IPXEScriptRenderer.path(of: mac)) over HTTP for \(node.service)", address: "\(address)")
                return (HTTPAnswer(status: 200, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: script), logReason: "boot-script"), later)
            } catch {
                logger.error("boot script not rendered", metadata: ["node": "\(node.name)", "reason": "\(error)"])
                return (.text(500, "the boot script of \(node.name) cannot be rendered: \(error)", logReason: "boot-script-not-rendered"), later)
            }
        }
        carryOut(later)
        return answer
    }
}

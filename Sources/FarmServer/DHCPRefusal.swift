/// Why the DHCP listener did not answer a packet, as a short stable name:
/// the key it is counted under in the "refused dhcp packets" report (and the
/// `refusal=` of its "dhcp ignored" line). The free-text reason beside it
/// says the particulars (which MAC, which server, which layer).
public enum DHCPRefusal: String, CaseIterable, Hashable, Sendable {
    // Dropped by the listener before the policy.
    /// The sender is not an IPv4 address.
    case notIPv4Sender = "not-ipv4-sender"
    /// The datagram is not a DHCP/BOOTP packet (too short, bad cookie, broken options).
    case undecodable
    /// The policy answered, but the reply does not fit the client's maximum size.
    case replyUnencodable = "reply-unencodable"
    /// The kernel would not send the reply (no route to the address the packet named, a firewall, a full buffer).
    case replyNotSent = "reply-not-sent"

    // The packet is not a request the policy can read (`DHCPClient`).
    /// op is not BOOTREQUEST (a server's or relay's reply).
    case notBootRequest = "not-bootrequest"
    /// htype/hlen are not Ethernet's.
    case notEthernet = "not-ethernet"
    /// No option 53: a BOOTP client; pxefarm answers DHCP only.
    case noMessageType = "no-message-type"
    /// An option the policy relies on (53, 57, 93, 97, 82, 50, 54) is malformed.
    case malformedOption = "malformed-option"
    /// Option 43 of the request does not decode.
    case option43Unreadable = "option43-unreadable"

    // Full DHCP on the DHCP port.
    /// No reservation for the MAC (static reservations only).
    case unknownMAC = "unknown-mac"
    /// OFFER, ACK or NAK sent to a server.
    case serverMessage = "server-message"
    /// A REQUEST naming another server (option 54).
    case otherServer = "other-server"
    /// A REQUEST with neither option 50 nor ciaddr.
    case noRequestedAddress = "no-requested-address"
    /// The farm's option 43 for the answer does not encode.
    case option43Unencodable = "option43-unencodable"

    // ProxyDHCP and the PXE port.
    /// Option 60 does not start with PXEClient.
    case notPXE = "not-pxe"
    /// Anything but DISCOVER on the DHCP port in proxy mode: the site's server answers it.
    case forSiteServer = "for-site-server"
    /// Anything but REQUEST or INFORM on the PXE port.
    case wrongTypeOnPXEPort = "wrong-type-on-pxe-port"
    /// To the discovery group without a boot item (43.71).
    case multicastWithoutBootItem = "multicast-without-boot-item"
    /// No menu and no service to point the client at.
    case noService = "no-service"

    // Boot-server discovery (43.71).
    /// A boot item in something other than REQUEST or INFORM.
    case bootItemWithoutRequest = "boot-item-without-request"
    /// Boot-server request by broadcast, but the farm turned broadcast discovery off.
    case broadcastDiscoveryOff = "broadcast-discovery-off"
    /// Boot-server request by multicast, but the farm has no multicast discovery address.
    case multicastDiscoveryOff = "multicast-discovery-off"
    /// The layer asks for credentials (bit 15), which pxefarm does not offer.
    case credentials
    /// A server type no service of the farm has.
    case unknownServerType = "unknown-server-type"
    /// Type 0 (local boot): no file to serve.
    case localBootItem = "local-boot-item"
    /// A layer outside the service's layers.
    case layerOutside = "layer-outside"
    /// The service has no boot file.
    case noBootFile = "no-boot-file"

    // The boot file for the client's firmware (`PXEBootFile`).
    /// An EFI client asked for a layer other than the EFI boot program's.
    case efiLayer = "efi-layer"
    /// An EFI client, and no EFI boot program in the TFTP tree.
    case efiNoBootProgram = "efi-no-boot-program"
    /// A client architecture (option 93) with no boot program.
    case unknownArchitecture = "unknown-architecture"
    /// A UEFI HTTP Boot client, and no URL to give it (no HTTP listener, or too long).
    case httpBootUnavailable = "http-boot-unavailable"
}

/// What `pxefarm` with no arguments prints: the few commands a day needs, in
/// the order they are used, and where to read more.
enum Overview {
    static let text = """
        pxefarm \(Version.current): build and serve diskless Linux farms from one farm file.

          pxefarm check farm.yaml              validate it, every problem at once
          pxefarm plan farm.yaml --out DIR     what a build would change
          pxefarm build farm.yaml --out DIR    TFTP tree, node roots, DHCP configuration
          pxefarm serve farm.yaml --out DIR    DHCP, ProxyDHCP, TFTP, MTFTP, HTTP
          pxefarm status farm.yaml --out DIR   what each node did on its last boot

        'pxefarm --help' lists every command; 'pxefarm help COMMAND' explains one.
        """
}

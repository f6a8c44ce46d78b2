/// pxefarm's version: `pxefarm --version`, the overview and the Debian package
/// (`make deb` asks the built binary) all take it from here.
public enum Version {
    public static let current = "0.1.0"
}

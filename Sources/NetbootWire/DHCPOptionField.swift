/// Where an option was found: the options field proper, or the `file`/`sname`
/// header fields when option 52 overloads them (RFC 2131 §4.1: options, then file, then sname).
public enum DHCPOptionField: String, Sendable, Equatable {
    case options, file, sname
}

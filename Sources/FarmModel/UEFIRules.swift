/// What a UEFI node of each image needs on the build machine and from the
/// kernel: warnings, because BIOS nodes of the farm still boot without them.
/// - the Debian files of the image's `efi:` choice (the build stops without
///   them, naming the package; the warning says so before);
/// - with shim and GRUB, a signed kernel: with Secure Boot on, shim refuses
///   an unsigned one.
enum UEFIRules {
    static func check(_ farm: Farm, context: ValidationContext) -> [Diagnostic] {
        guard let files = context.files else { return [] }
        var found: [Diagnostic] = []
        for image in farm.images where farm.services.contains(where: { $0.image == image.name && !$0.isLocalBoot }) {
            let base = FieldPath("images") / image.name
            guard context.has(base / "efi") else { continue }
            let program = image.efiBootProgram
            for file in program.hostFiles where files.kind(of: file.path) != .file {
                found.append(.warning(base / "efi", "UEFI nodes boot with \(program), which needs \(file.path): install the Debian package \(file.package) (make deps does), or say efi: none"))
            }
            if program.keepsSecureBoot, context.has(base / "kernel"), files.isSigned(image.kernel) == false {
                found.append(.warning(base / "kernel", "\(image.kernel) is not signed: UEFI nodes with Secure Boot on will refuse it (shim checks the kernel); sign it with the site's key enrolled in MOK (sbsign, mokutil), or boot those nodes with Secure Boot off"))
            }
        }
        return found
    }
}

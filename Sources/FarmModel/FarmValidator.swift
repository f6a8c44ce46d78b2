/// Checks a whole farm and reports every problem at once, in the order of
/// the farm file's sections. Each rule group is a small type of its own.
public enum FarmValidator {
    public static func validate(_ farm: Farm, context: ValidationContext = ValidationContext()) -> [Diagnostic] {
        SettingsRules.check(farm.settings, context: context)
            + ImageRules.check(farm.images, context: context)
            + ServiceRules.check(farm, context: context)
            + DiscoveryRules.check(farm, context: context)
            + ServerRules.check(farm, context: context)
            + NodeRules.check(farm, context: context)
            + UEFIRules.check(farm, context: context)
    }
}

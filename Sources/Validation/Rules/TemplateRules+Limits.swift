import YAML

extension TemplateRules {
    static let tooManyResources = Rule(
        "template-resource-limit", .template, .error, "More than 500 resources once SAM's implicit ones are counted",
        "CloudFormation refuses a stack of more than 500 resources. In a SAM template the count that matters is after the transform: every function without a Role adds an IAM role, every API event adds permissions, every AutoPublishAlias adds a version and an alias. Split the stack (nested stacks, or one stack per service).")

    /// CloudFormation's quota of resources per stack.
    static let resourceQuota = 500

    /// Counts declared resources plus those the SAM transform will add.
    static func checkResourceCount(_ context: ValidationContext, into report: inout Report) {
        let template = context.template
        let declared = template.resources.count
        // Cheap exit: implicit resources are at most a handful per declared one, and most
        // templates are far below the quota.
        guard declared > resourceQuota / 8 else { return }
        let implicit = SAMImplicit.resources(in: template).count
        let total = declared + implicit
        guard total > resourceQuota else { return }
        let section = template.root.pairs?.first { $0.key.scalar == "Resources" }?.key
        let detail = implicit > 0 ? " (\(declared) declared, \(implicit) added by the SAM transform)" : ""
        report.add(tooManyResources, "the stack has \(total) resources\(detail), more than CloudFormation's \(resourceQuota); split it into nested stacks",
                   at: section, path: "Resources")
    }
}

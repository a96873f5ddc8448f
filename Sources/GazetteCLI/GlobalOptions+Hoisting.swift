/// Global options written before the subcommand, the way git and docker take them
/// (`gazette --config x.toml run`), moved after it, where swift-argument-parser reads them.
extension GlobalOptions {
    /// Options that take a value, and flags, as they may stand before the subcommand.
    static let valued: Set<String> = ["--config", "--database", "--templates", "--log-format"]
    static let flags: Set<String> = ["--verbose", "-v"]

    /// `arguments` (without the program's name) with every global option that stands before
    /// the first word that is not one moved to the end, or before a `--` that ends options.
    /// Anything else is left exactly as it was, so errors still name what was typed.
    static func hoisted(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) {
                leading.append(argument)
                index += 1
            } else if valued.contains(argument), index + 1 < arguments.endIndex {
                leading += arguments[index...(index + 1)]
                index += 2
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.endIndex else { return arguments }
        var rest = Array(arguments[index...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: leading, at: end)
        return rest
    }
}

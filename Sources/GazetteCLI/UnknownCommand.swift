import ArgumentParser

/// Finds a command word Gazette does not have (`gazette serv`, `gazette subscribers lsit`),
/// with or without `--help` after it, before ArgumentParser would print the parent's help and
/// exit 0: a script calling a command this version lacks must fail, and a typo gets a guess.
enum UnknownCommand {
    /// The one-line problem for `arguments` (without the program name), or nil when every
    /// command word is known.
    static func problem(in arguments: [String], root: any ParsableCommand.Type = GazetteCommand.self) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "gazette"]
        for word in arguments {
            if word == "--" || word.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            if word == "help" { return nil }
            guard let next = subcommands.first(where: { $0.configuration.commandName == word }) else {
                let names = subcommands.compactMap { $0.configuration.commandName }
                let guess = names.min { distance(word, $0) < distance(word, $1) }
                    .flatMap { distance(word, $0) <= max(2, word.count / 2) ? $0 : nil }
                return "'\(word)' is not a \(path.joined(separator: " ")) command"
                    + (guess.map { "; did you mean '\($0)'?" } ?? "; the commands are \(names.joined(separator: ", "))")
            }
            command = next
            path.append(word)
        }
        return nil
    }

    /// Levenshtein distance between two short words.
    static func distance(_ first: String, _ second: String) -> Int {
        let a = Array(first)
        let b = Array(second)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The problems found in one config, so a run names them all at once instead of one per
/// attempt: an editor fixing a new config should not have to run Gazette twenty times.
///
/// Checks that do not depend on each other run inside `check`; a problem is kept and checking
/// goes on. Checks whose input an earlier problem made meaningless are not run at all (a list's
/// rules are not checked when its name is unusable, for instance), so nothing is reported twice.
struct ConfigProblems {
    /// At most this many are shown; more are counted.
    static let shownLimit = 20

    private(set) var found: [ConfigError] = []

    /// Runs `body`; a problem it throws is kept and `nil` returned.
    mutating func check<T>(_ body: () throws(ConfigError) -> T) -> T? {
        do {
            return try body()
        } catch {
            add(error)
            return nil
        }
    }

    /// Keeps `problem`. One at the same line and key as a problem already kept takes its place:
    /// a misspelt required key is found both as unknown and as missing, and the second says more.
    mutating func add(_ problem: ConfigError) {
        if case .several(let problems, _) = problem {
            for problem in problems { add(problem) }
            return
        }
        guard case .invalid(_, let line, let key, _) = problem,
            let index = found.firstIndex(where: { if case .invalid(_, line, key, _) = $0 { true } else { false } })
        else { return found.append(problem) }
        found[index] = problem
    }

    /// What was found as one error: the problem itself when there is one, `.several` in line
    /// order when there are more; `nil` when the config is fine.
    var error: ConfigError? {
        switch found.count {
        case 0: return nil
        case 1: return found[0]
        default:
            let ordered = found.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
            return .several(Array(ordered.prefix(Self.shownLimit)), notShown: max(0, ordered.count - Self.shownLimit))
        }
    }

    func throwIfAny() throws(ConfigError) {
        if let error { throw error }
    }
}

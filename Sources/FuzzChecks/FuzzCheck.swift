import Foundation

/// One fuzz target's contract: feed it any bytes, get back the invariants the result broke.
///
/// The same check runs in two places: under libFuzzer (`Fuzz/`, `make fuzz`), where a
/// violation aborts so the fuzzer saves the input, and in `make test`, which replays the
/// committed seed corpus and every saved crash through it without the fuzzer. Keeping the
/// invariants here, not in the fuzz executables, is what makes a regression test out of
/// each crash file.
public protocol FuzzCheck {
    /// The corpus folder's name under `Fuzz/Corpus/` and `Fuzz/Regressions/`.
    static var name: String { get }
    /// What went wrong with this input, one line each; empty when every invariant held.
    static func violations(_ data: Data) -> [String]
}

extension FuzzCheck {
    /// The libFuzzer entry point's body: aborts with the violations, so the fuzzer keeps the
    /// input as a crash artifact.
    public static func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
        let data = Data(bytes: start, count: count)
        let problems = violations(data)
        if !problems.isEmpty {
            fatalError("\(name): \(problems.count) invariant(s) broken:\n" + problems.joined(separator: "\n"))
        }
        return 0
    }
}

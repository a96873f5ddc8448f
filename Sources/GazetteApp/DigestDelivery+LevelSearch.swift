import DigestBuilding
import GazetteModel
import Mailing

extension DigestDelivery {
    /// Finds the lowest trimming level at which a digest's HTML fits the list's budget while
    /// rendering as few levels as it can.
    ///
    /// Levels differ only in their entries' blocks, and each entry's block costs the same
    /// bytes in any digest (`EntryCosts`: blocks stand on lines of their own, so their
    /// encoded sizes add up). So one level's measured size and the entries' costs foretell
    /// every other level's, to within a few bytes where a custom template puts a summary on a
    /// line with something else. A level foretold to be over the budget by more than
    /// `margin(for:)` is taken not to fit without being rendered; every other level is
    /// measured before it is chosen. What is chosen is therefore the lowest level that
    /// measures within the budget, wherever the search starts: a good `start` (`ChromeModel`)
    /// only saves renderings. Most distinct digests of a newsroom's day are then rendered
    /// once, at the level they are sent at, instead of measured as built and rendered again.
    struct LevelSearch {
        /// The sums of the digest's entry costs at each level.
        let sums: [DigestTrimmer.Level: EncodedSize]
        let budget: Int
        /// How far a forecast may be off: a few bytes an entry (base64 rounds each cost; a
        /// soft line break can move where a block shares a line), and some for luck.
        let margin: Int

        init(sums: [DigestTrimmer.Level: EncodedSize], budget: Int, entries: Int) {
            self.sums = sums
            self.budget = budget
            margin = 64 + 8 * entries
        }

        /// The size of `level` foretold from `anchor`'s measured size.
        func forecast(_ level: DigestTrimmer.Level, from anchor: DigestTrimmer.Level, measured: EncodedSize) -> EncodedSize {
            let zero = EncodedSize(quotedPrintable: 0, base64: 0)
            let (to, from) = (sums[level, default: zero], sums[anchor, default: zero])
            return EncodedSize(
                quotedPrintable: max(0, measured.quotedPrintable + to.quotedPrintable - from.quotedPrintable),
                base64: max(0, measured.base64 + to.base64 - from.base64))
        }

        /// Where a search ended: a level, its measured size, and its entries' summed costs.
        struct Outcome {
            var level: DigestTrimmer.Level
            var size: EncodedSize
            var entries: EncodedSize
        }

        /// The lowest level that measures within the budget, or the last level (over it) when
        /// none does, with its size; `measure` renders a level (first `start`).
        func run(from start: DigestTrimmer.Level, measure: (DigestTrimmer.Level) throws -> EncodedSize) rethrows -> Outcome {
            var measured: [DigestTrimmer.Level: EncodedSize] = [start: try measure(start)]
            var anchor = start
            for level in DigestTrimmer.Level.allCases {
                if measured[level] == nil {
                    guard forecast(level, from: anchor, measured: measured[anchor]!).bytes <= budget + margin else { continue }
                    measured[level] = try measure(level)
                    anchor = level
                }
                if let size = measured[level], size.bytes <= budget { return outcome(level, size) }
            }
            let last = DigestTrimmer.Level.noImages
            return outcome(last, try measured[last] ?? measure(last))
        }

        private func outcome(_ level: DigestTrimmer.Level, _ size: EncodedSize) -> Outcome {
            Outcome(level: level, size: size, entries: sums[level] ?? EncodedSize(quotedPrintable: 0, base64: 0))
        }
    }

    /// What a digest's HTML holds besides its entries' blocks (head, navigation, section
    /// headings, tag index, footer), learned from the digests measured so far in a worker, as
    /// a linear function of what varies there: the number of sections, of those with articles
    /// shown, of indexed tags and of "and N more" lines, whether there are top stories, and the encoded lengths of the
    /// section titles (each shown twice), of the first headlines (the preheader) and of the
    /// indexed tags. A guess of where `LevelSearch` should start: only speed depends on it.
    struct ChromeModel {
        private static let dimension = 9
        /// Sums of x·xᵀ and x·y over the observations (`features`).
        private var xx = [Double](repeating: 0, count: dimension * dimension)
        private var xy = [Double](repeating: 0, count: dimension)
        private var count = 0
        /// Squared errors of the guesses made before each observation.
        private var squaredError = 0.0
        private var guessed = 0

        /// Observations before the model guesses.
        static let warmUp = 12

        /// True once the model guesses.
        var isWarm: Bool { count >= Self.warmUp }

        /// Quoted-printable's rough length of `text`: a byte outside ASCII takes three.
        private static func encodedLength(_ text: String) -> Double {
            Double(text.utf8.reduce(0) { $0 + ($1 < 0x80 ? 1 : 3) })
        }

        /// The encoded length of the first three headlines (the preheader's), read in place:
        /// `Digest.entries` would copy every entry for each digest measured.
        private static func headlinesLength(_ digest: Digest) -> Double {
            let first = digest.topStories.prefix(3)
            let rest = digest.sections.lazy.flatMap(\.entries).prefix(3 - first.count)
            return first.reduce(0) { $0 + encodedLength($1.article.title) } + rest.reduce(0) { $0 + encodedLength($1.article.title) }
        }

        private static func features(_ digest: Digest) -> [Double] {
            [
                1, Double(digest.sections.count), Double(min(digest.tagIndex.count, DigestViewModel.indexTagLimit)),
                digest.sections.reduce(0) { $0 + encodedLength($1.title) },
                headlinesLength(digest),
                digest.tagIndex.prefix(DigestViewModel.indexTagLimit).reduce(0) { $0 + encodedLength($1.tag) },
                digest.topStories.isEmpty ? 0 : 1,
                Double(digest.sections.filter { $0.moreCount > 0 }.count),
                // A section whose articles all went to its "and N more" has no heading.
                Double(digest.sections.filter { !$0.entries.isEmpty }.count),
            ]
        }

        /// The bytes besides the entries' blocks in `digest`'s HTML; nil before `warmUp` observations.
        func chrome(of digest: Digest) -> Double? {
            chrome(features: Self.features(digest))
        }

        private func chrome(features: [Double]) -> Double? {
            guard isWarm, let weights = Self.solve(xx, xy, size: Self.dimension) else { return nil }
            return zip(weights, features).reduce(0) { $0 + $1.0 * $1.1 }
        }

        /// w with (a + a little ridge) w = b, by Gaussian elimination; nil when singular.
        private static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
            var a = a
            var b = b
            for i in 0..<n { a[i * n + i] += 1e-6 }
            for column in 0..<n {
                guard let pivot = (column..<n).max(by: { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }),
                    abs(a[pivot * n + column]) > 1e-12
                else { return nil }
                if pivot != column {
                    for k in 0..<n { a.swapAt(pivot * n + k, column * n + k) }
                    b.swapAt(pivot, column)
                }
                for row in (column + 1)..<n {
                    let factor = a[row * n + column] / a[column * n + column]
                    for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
                    b[row] -= factor * b[column]
                }
            }
            var w = [Double](repeating: 0, count: n)
            for row in stride(from: n - 1, through: 0, by: -1) {
                var value = b[row]
                for k in (row + 1)..<n { value -= a[row * n + k] * w[k] }
                w[row] = value / a[row * n + row]
            }
            return w
        }

        /// How far a guess may be off: three times the guesses' root mean square error, at
        /// least a quarter of a kilobyte.
        var band: Double {
            max(256, guessed > 0 ? 3 * (squaredError / Double(guessed)).squareRoot() : 0)
        }

        /// Learns from `digest`'s measured chrome.
        mutating func observe(_ digest: Digest, chrome: Double) {
            let x = Self.features(digest)
            if let guess = self.chrome(features: x) {
                squaredError += (guess - chrome) * (guess - chrome)
                guessed += 1
            }
            let n = Self.dimension
            for i in 0..<n {
                for j in 0..<n { xx[i * n + j] += x[i] * x[j] }
                xy[i] += x[i] * chrome
            }
            count += 1
        }

        /// The level to render first: the lowest whose guessed size is within the budget, when
        /// no level's guess lies within `band` of it; nil when unsure (or when no level would
        /// fit), and the search starts from the digest as built.
        func start(for digest: Digest, sums: [DigestTrimmer.Level: EncodedSize], budget: Int) -> DigestTrimmer.Level? {
            guard let chrome = chrome(of: digest) else { return nil }
            let band = self.band
            for level in DigestTrimmer.Level.allCases {
                guard let sum = sums[level] else { return nil }
                let guess = Double(sum.bytes) + chrome
                if abs(guess - Double(budget)) < band { return nil }
                if guess <= Double(budget) { return level }
            }
            return nil
        }
    }
}

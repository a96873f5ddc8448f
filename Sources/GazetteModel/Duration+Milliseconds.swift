extension Duration {
    /// Whole milliseconds, for C APIs (libcurl's `*_MS` options) that take them.
    package var milliseconds: Int64 { components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000 }

    /// The duration in seconds as a floating-point number.
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Gazette's version, shown in `--version` and the User-Agent.
public enum GazetteVersion {
    public static let current = "0.1.0"
}

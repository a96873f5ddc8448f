import ArgumentParser
import GazetteCLI

/// The `gazette` executable: all it does is start the root command.
@main
extension GazetteCommand {}

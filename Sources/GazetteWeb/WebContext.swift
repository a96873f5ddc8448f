import Hummingbird
import NIOCore

/// The request context of `gazette serve`: Hummingbird's basics plus the peer's address,
/// which the public sign-up form's rate limit counts by.
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connected peer's IP address (the proxy's, behind one).
    let peerAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Form bodies are a few hundred bytes; anything past this is refused before it is read.
    var maxUploadSize: Int { 64 * 1024 }
}

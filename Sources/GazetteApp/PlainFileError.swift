import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Foundation's file errors in plain words. Their own descriptions are dumps on Linux
/// (`The operation could not be completed. (NSCocoaErrorDomain error 256.)`,
/// `Error Domain=NSPOSIXErrorDomain Code=21`); the operating system's reason is what helps.
public enum PlainFileError {
    /// "Is a directory", "Permission denied", … or a general phrase when no reason is known.
    public static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if error.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: error.code) {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: return "it is not UTF-8 text"
            case .fileWriteOutOfSpace: return "the disk is full"
            default: return "it cannot be read or written (is it a folder?)"
            }
        }
        return String(describing: error)
    }

    /// The file an error names, when it names one.
    public static func path(_ error: any Error) -> String? {
        let error = error as NSError
        return error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
    }
}

/// A run that finished but did not do its work; printed as `Error: ...`, exit status 1.
struct RunFailure: Error, CustomStringConvertible {
    let description: String
}

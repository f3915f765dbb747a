import ArgumentParser

/// What parsing `arguments` as `Options` tells the user: the error's message (what follows
/// "Error: "), or "accepted".
func parsedMessage<Options: ParsableArguments>(_: Options.Type, _ arguments: [String]) -> String {
    do {
        _ = try Options.parse(arguments)
        return "accepted"
    } catch {
        return Options.message(for: error)
    }
}

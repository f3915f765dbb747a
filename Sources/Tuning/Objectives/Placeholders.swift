/// Fills `{NAME}` placeholders in a command, in one pass (braces inside a value are not
/// placeholders). A `{...}` whose name has no replacement is left as it is.
enum Placeholders {
    /// `argument` (passed to the program as it is, no shell) with each placeholder replaced by
    /// its value's text.
    static func argument(_ argument: String, values: [String: String]) -> String {
        substitute(argument, tracksQuotes: false) { name, _ in values[name] }
    }

    /// `script` (run by `sh -c`) with each placeholder replaced by a reference to the environment
    /// variable that holds its value, quoted for where it stands: `"${V}"` outside quotes, `${V}`
    /// inside double quotes and `'"${V}"'` inside single quotes. The shell expands a variable but
    /// never reads its value as code, so no value can run a command (`;`, `$(...)`, backquotes,
    /// `|`, newlines are text), wherever the placeholder stands.
    static func shellScript(_ script: String, variables: [String: String]) -> String {
        substitute(script, tracksQuotes: true) { name, quote in
            variables[name].map { variable in
                switch quote {
                case .none: "\"${\(variable)}\""
                case .double: "${\(variable)}"
                case .single: "'\"${\(variable)}\"'"
                }
            }
        }
    }

    /// The shell quoting in force at a point of a script.
    enum Quote {
        case none, single, double
    }

    private static func substitute(
        _ text: String, tracksQuotes: Bool, _ replacement: (_ name: String, _ quote: Quote) -> String?
    ) -> String {
        var result = ""
        var quote = Quote.none
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            // In a script, `${NAME}` is the shell's own variable syntax, not a placeholder.
            let isShellVariable = tracksQuotes && result.last == "$"
            if character == "{", !isShellVariable, let close = text[index...].firstIndex(of: "}"),
               let value = replacement(String(text[text.index(after: index)..<close]), quote) {
                result += value
                index = text.index(after: close)
                continue
            }
            result.append(character)
            index = text.index(after: index)
            guard tracksQuotes else { continue }
            switch (quote, character) {
            case (.none, "\\"), (.double, "\\"):
                // A backslash takes the next character literally.
                if index < text.endIndex {
                    result.append(text[index])
                    index = text.index(after: index)
                }
            case (.none, "'"): quote = .single
            case (.single, "'"): quote = .none
            case (.none, "\""): quote = .double
            case (.double, "\""): quote = .none
            default: break
            }
        }
        return result
    }
}

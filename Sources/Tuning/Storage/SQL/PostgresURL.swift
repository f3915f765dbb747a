import CLibPQ
import Foundation

/// A PostgreSQL URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?KEY=VALUE&...]`, read by
/// libpq's own parser, so it means what it means to `psql`. Its messages never show the password.
struct PostgresURL: Sendable {
    /// How long a connection attempt waits for the server unless the URL (`connect_timeout`) or
    /// `PGCONNECT_TIMEOUT` says otherwise.
    static let defaultConnectTimeout = 10

    /// The connection parameters the URL sets: libpq keywords and their decoded values.
    let parameters: [String: String]
    /// The URL as given, without its password. Connecting with it, libpq takes the password from
    /// `PGPASSWORD` or the password file (`~/.pgpass`).
    let passwordFree: String
    /// The server and database, for messages.
    let location: String

    /// The URL's password, if it has one.
    var password: String? { parameters["password"] }

    init(_ url: String) throws {
        parameters = try Self.parse(url)
        if parameters["host"]?.contains("@") == true {
            throw TuningError.storage(
                "malformed PostgreSQL URL \(Self.redacted(url)): a second '@' after the user name (write '@' in a password as %40)")
        }
        passwordFree = Self.removingPassword(from: url)
        var expected = parameters
        expected["password"] = nil
        guard try Self.parse(passwordFree) == expected else {
            throw TuningError.storage("cannot take the password out of the PostgreSQL URL \(Self.redacted(url))")
        }
        let user = parameters["user"].map { "\($0)@" } ?? ""
        let host = parameters["host"] ?? parameters["hostaddr"] ?? ""
        let port = parameters["port"].map { ":\($0)" } ?? ""
        location = "postgres://\(user)\(host.contains(":") ? "[\(host)]" : host)\(port)/\(parameters["dbname"] ?? "")"
    }

    /// The parameters to connect with: the URL's, and a connect timeout of
    /// `defaultConnectTimeout` seconds unless the URL or `PGCONNECT_TIMEOUT` sets one.
    func connectionParameters(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var connection = parameters
        if connection["connect_timeout"] == nil, environment["PGCONNECT_TIMEOUT"] == nil {
            connection["connect_timeout"] = String(Self.defaultConnectTimeout)
        }
        return connection
    }

    /// `text` with whatever may be a password replaced by `***`, however malformed the URL is: the
    /// part of the user information after `:` (up to the last `@`, as an unencoded `@` in a
    /// password is a common mistake) and the values of query parameters named `...password`.
    static func redacted(_ text: String) -> String {
        scrubbed(text, of: text)
    }

    /// `message` with every possible password of `url` (raw or percent-decoded) replaced by `***`.
    private static func scrubbed(_ message: String, of url: String) -> String {
        let secrets = possibleSecrets(in: url).flatMap { [$0, $0.removingPercentEncoding ?? $0] }.filter { !$0.isEmpty }
        return secrets.sorted { $0.count > $1.count }.reduce(message) { text, secret in
            text.replacingOccurrences(of: secret, with: "***")
        }
    }

    private static func possibleSecrets(in url: String) -> [String] {
        var secrets: [String] = []
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                secrets.append(String(rest[rest.index(after: colon)..<at]))
            }
        }
        var searchStart = url.startIndex
        while let key = url.range(of: "password=", options: .caseInsensitive, range: searchStart..<url.endIndex) {
            let end = url[key.upperBound...].firstIndex(of: "&") ?? url.endIndex
            secrets.append(String(url[key.upperBound..<end]))
            searchStart = end
        }
        return secrets
    }

    /// The parameters libpq reads from `url`.
    private static func parse(_ url: String) throws -> [String: String] {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &message) else {
            let reason = message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "out of memory"
            PQfreemem(message)
            throw TuningError.storage(
                "malformed PostgreSQL URL \(redacted(url)): \(scrubbed(reason, of: url)) "
                    + "(expected postgres://USER@HOST[:PORT]/DATABASE)")
        }
        defer { PQconninfoFree(options) }
        var parameters: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { parameters[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return parameters
    }

    /// `url` without the password in its user information or its query, read the way libpq reads
    /// it: the user information runs to the first `@` unless a `/` comes first, and the user name
    /// ends at its first `:`.
    private static func removingPassword(from url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        var result = String(url[..<scheme.upperBound])
        var rest = url[scheme.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[end] == "@" {
            result += rest[..<end].prefix { $0 != ":" } + "@"
            rest = rest[rest.index(after: end)...]
        }
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[..<question]
        let kept = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).filter { parameter in
            let key = String(parameter.prefix { $0 != "=" })
            return (key.removingPercentEncoding ?? key) != "password"
        }
        return kept.isEmpty ? result : result + "?" + kept.joined(separator: "&")
    }
}

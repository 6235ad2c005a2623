/// Query strings with their secrets blanked, for logs and stored requests.
enum RedactedQuery {
    /// Fields whose values are signatures or keys.
    static let secretFields: Set<String> = ["sign", "key", "token", "_csrf"]

    /// `query` with the value of every secret field replaced by `***`.
    static func redact(_ query: some StringProtocol) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let name = pair.prefix { $0 != "=" }
            return secretFields.contains(name.lowercased()) ? "\(name)=***" : String(pair)
        }.joined(separator: "&")
    }
}

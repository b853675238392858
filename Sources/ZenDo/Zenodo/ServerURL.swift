/// The API root requests go to, and the rule that keeps the token off plain HTTP: only
/// `https://`, or `http://` to a loopback address (the emulator).
public enum ServerURL {
  /// zenodo.org's API root.
  public static let production = "https://zenodo.org/api"
  /// sandbox.zenodo.org's API root.
  public static let sandbox = "https://sandbox.zenodo.org/api"

  /// A server URL that would send the token in clear text to another machine.
  public struct Refused: Error, CustomStringConvertible, Sendable, Equatable {
    /// The URL as given.
    public var url: String
    /// A refusal of `url`.
    public init(url: String) { self.url = url }
    /// Says what is wrong and what is allowed.
    public var description: String {
      "the server URL '\(url)' must start with https:// (plain http:// is allowed only for "
        + "loopback addresses such as 127.0.0.1)"
    }
  }

  /// The API root: `option` (`--server`), else `environment` (`ZEN_DO_SERVER`, when not
  /// empty), else zenodo.org or its sandbox.
  ///
  /// - Throws: ``Refused`` when the chosen URL is neither https nor loopback http.
  /// - Returns: The URL to use, as given.
  public static func resolve(option: String?, environment: String?, sandbox: Bool)
    throws(Refused) -> String
  {
    let chosen = option ?? environment.flatMap { $0.isEmpty ? nil : $0 }
    guard let url = chosen else { return sandbox ? Self.sandbox : production }
    let lowered = url.lowercased()
    if lowered.hasPrefix("https://") { return url }
    if lowered.hasPrefix("http://"), isLoopback(hostAndPort(of: lowered).host) { return url }
    throw Refused(url: url)
  }

  /// True for `localhost`, `::1` and `127.0.0.0/8`.
  public static func isLoopback(_ host: String) -> Bool {
    let host = host.lowercased()
    return host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }

  /// The host (without IPv6 brackets) and port of an absolute URL; the port defaults to 443
  /// for https and 80 otherwise.
  public static func hostAndPort(of url: String) -> (host: String, port: Int) {
    let lowered = url.lowercased()
    let secure = lowered.hasPrefix("https://")
    let rest = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
    var authority = Substring(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    if let at = authority.lastIndex(of: "@") {
      authority = authority[authority.index(after: at)...]
    }
    let host: Substring
    var portText: Substring = ""
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
      host = authority[authority.index(after: authority.startIndex)..<close]
      let after = authority[authority.index(after: close)...]
      if after.hasPrefix(":") { portText = after.dropFirst() }
    } else if let colon = authority.lastIndex(of: ":") {
      host = authority[..<colon]
      portText = authority[authority.index(after: colon)...]
    } else {
      host = authority
    }
    return (String(host), Int(portText) ?? (secure ? 443 : 80))
  }
}

import CLibsecret
import Dispatch
import ZenDo

/// Tokens in the system keyring through libsecret (the freedesktop Secret Service: GNOME
/// Keyring, KeePassXC, KWallet), under the entries that `secret-tool` and Python's `keyring`
/// use: schema `org.freedesktop.Secret.Generic`, attributes `service` and `username`.
///
/// Every call is bounded: a call the Secret Service does not answer is cancelled after
/// `timeout` seconds and reported as `KeyringError.timedOut`, so a caller can fall back.
public struct LibsecretTokenStore: WritableTokenStore {
  /// The `service` attribute of the entries; `zen-do` except in tests.
  public let service: String
  /// Seconds after which a call to the Secret Service is cancelled.
  public let timeout: Double
  /// The environment of the process, read to tell whether a D-Bus session exists at all.
  public let environment: [String: String]

  /// A store for `service` (default `zen-do`) whose calls give up after `timeout` seconds.
  ///
  /// libsecret itself reads the process's real environment; `environment` should be it.
  public init(service: String = "zen-do", timeout: Double = 2, environment: [String: String]) {
    self.service = service
    self.timeout = timeout
    self.environment = environment
  }

  public var name: String { "keyring" }

  /// The token stored for `account`, or nil when the keyring holds none.
  ///
  /// Throws `KeyringError` when the keyring cannot be asked or is locked.
  public func token(for account: TokenAccount) throws -> ZenodoToken? {
    try requireSessionBus()
    // One deadline for both calls, so a lookup stays within `timeout` in all.
    let deadline = DispatchTime.now() + timeout
    let found: String? = try withCall(account, until: deadline) {
      schema, attributes, cancellable, error in
      guard let password = secret_password_lookupv_sync(schema, attributes, cancellable, &error)
      else { return nil }
      defer { secret_password_free(password) }
      return String(cString: password)
    }
    // `echo "$TOKEN" | secret-tool store ...` keeps the newline; a header must not.
    if let found = found?.trimmedOfWhitespace(), !found.isEmpty { return ZenodoToken(found) }
    // A locked collection answers "nothing" with no error: tell that apart from absence.
    if try hasLockedEntry(account, until: deadline) { throw KeyringError.locked(account) }
    return nil
  }

  /// Stores `token` for `account` in the default collection, replacing every earlier entry
  /// for the account (also those made by other tools).
  public func setToken(_ token: ZenodoToken, for account: TokenAccount) throws {
    try requireSessionBus()
    let label = "Zenodo token (\(account.rawValue)) for \(service)"
    let deadline = DispatchTime.now() + timeout
    // Entries made by secret-tool or Python's keyring carry other extra attributes, so
    // storing would add a second entry beside them, and lookups could return the stale one.
    try withCall(account, until: deadline) { schema, attributes, cancellable, error in
      _ = secret_password_clearv_sync(schema, attributes, cancellable, &error)
    }
    let stored: Bool = try withCall(account, until: deadline) {
      schema, attributes, cancellable, error in
      secret_password_storev_sync(
        schema, attributes, nil, label, token.secret, cancellable, &error) != 0
    }
    if !stored { throw KeyringError.failed("the Secret Service did not store the token") }
  }

  /// Removes every entry for `account`; returns false when there was none.
  @discardableResult
  public func deleteToken(for account: TokenAccount) throws -> Bool {
    try requireSessionBus()
    return try withCall(account) { schema, attributes, cancellable, error in
      secret_password_clearv_sync(schema, attributes, cancellable, &error) != 0
    }
  }

  /// libsecret with no session bus may try to autolaunch one through X11: never let it.
  private func requireSessionBus() throws {
    let address = environment["DBUS_SESSION_BUS_ADDRESS"]?.trimmedOfWhitespace() ?? ""
    if address.isEmpty { throw KeyringError.noSessionBus }
  }

  /// Whether an entry for `account` exists but sits in a locked collection.
  private func hasLockedEntry(_ account: TokenAccount, until deadline: DispatchTime) throws -> Bool
  {
    try withCall(account, until: deadline) { schema, attributes, cancellable, error in
      // SECRET_SEARCH_ALL without SECRET_SEARCH_UNLOCK: never prompt, only look.
      guard
        let items = secret_service_search_sync(
          nil, schema, attributes, SECRET_SEARCH_ALL, cancellable, &error)
      else { return false }
      defer { g_list_free_full(items, g_object_unref) }
      var node: UnsafeMutablePointer<GList>? = items
      while let current = node {
        if let item = current.pointee.data,
          secret_item_get_locked(item.assumingMemoryBound(to: SecretItem.self)) != 0
        {
          return true
        }
        node = current.pointee.next
      }
      return false
    }
  }

  /// Runs one libsecret call with this store's schema and the attributes of `account`,
  /// cancelling it at `deadline` (default: `timeout` seconds from now), and turns a GError
  /// into a `KeyringError`.
  private func withCall<T>(
    _ account: TokenAccount, until deadline: DispatchTime? = nil,
    _ body: (
      UnsafePointer<SecretSchema>, OpaquePointer, UnsafeMutablePointer<GCancellable>,
      inout UnsafeMutablePointer<GError>?
    ) -> T
  ) throws -> T {
    let schema = Self.makeSchema()
    defer { secret_schema_unref(schema) }
    let attributes = Self.makeTable([("service", service), ("username", account.rawValue)])
    defer { g_hash_table_unref(attributes) }
    // GLib aborts on out-of-memory instead of returning NULL.
    // swift-format-ignore: NeverForceUnwrap
    let cancellable = g_cancellable_new()!
    defer { g_object_unref(cancellable) }
    // The timer keeps its own reference, so it may fire after the call has returned.
    // swift-format-ignore: NeverForceUnwrap
    let timer = CancellableBox(
      g_object_ref(cancellable)!.assumingMemoryBound(to: GCancellable.self))
    DispatchQueue.global().asyncAfter(deadline: deadline ?? .now() + timeout) {
      g_cancellable_cancel(timer.pointer)
      g_object_unref(timer.pointer)
    }
    var error: UnsafeMutablePointer<GError>? = nil
    let result = body(UnsafePointer(schema), attributes, cancellable, &error)
    if let error {
      defer { g_error_free(error) }
      if g_cancellable_is_cancelled(cancellable) != 0 { throw KeyringError.timedOut(timeout) }
      throw KeyringError.failed(String(cString: error.pointee.message))
    }
    return result
  }

  /// The generic schema with `service` and `username` string attributes, not matched by
  /// name, so entries written by other tools are found too.
  private static func makeSchema() -> UnsafeMutablePointer<SecretSchema> {
    // swift-format-ignore: NeverForceUnwrap
    let types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, nil)!
    defer { g_hash_table_unref(types) }
    for name in ["service", "username"] {
      // The value is the attribute type; SECRET_SCHEMA_ATTRIBUTE_STRING is 0.
      g_hash_table_insert(
        types, g_strdup(name),
        UnsafeMutableRawPointer(bitPattern: Int(SECRET_SCHEMA_ATTRIBUTE_STRING.rawValue)))
    }
    return secret_schema_newv(
      "org.freedesktop.Secret.Generic", SECRET_SCHEMA_DONT_MATCH_NAME, types)
  }

  /// A GHashTable of owned C strings; the caller unrefs it.
  private static func makeTable(_ pairs: [(String, String)]) -> OpaquePointer {
    // swift-format-ignore: NeverForceUnwrap
    let table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)!
    for (key, value) in pairs {
      g_hash_table_insert(table, g_strdup(key), g_strdup(value))
    }
    return table
  }
}

/// A GCancellable handed to the timer queue; GCancellable is thread-safe by design.
private struct CancellableBox: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<GCancellable>
  init(_ pointer: UnsafeMutablePointer<GCancellable>) { self.pointer = pointer }
}

extension String {
  /// The string without leading and trailing white space and line breaks.
  fileprivate func trimmedOfWhitespace() -> String {
    var result = Substring(self)
    while let first = result.first, first.isWhitespace { result.removeFirst() }
    while let last = result.last, last.isWhitespace { result.removeLast() }
    return String(result)
  }
}

/// Why the system keyring could not be used.
public enum KeyringError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No D-Bus session bus is set, so there is no Secret Service to ask.
  case noSessionBus
  /// The Secret Service did not answer in time.
  case timedOut(Double)
  /// An entry exists but its collection is locked.
  case locked(TokenAccount)
  /// libsecret reported an error; the text is GLib's message.
  case failed(String)

  public var description: String {
    switch self {
    case .noSessionBus:
      "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so there is no keyring to ask; "
        + "run inside a desktop session or `dbus-run-session`"
    case .timedOut(let seconds):
      "the Secret Service (org.freedesktop.secrets) did not answer within "
        + "\(Int(seconds.rounded())) s; check that your keyring daemon is running and responsive"
    case .locked(let account):
      "the keyring entry for \(account.rawValue) is in a locked collection; unlock your "
        + "keyring (log in to the desktop, or `secret-tool lookup` to get a prompt) and retry"
    case .failed(let message):
      "the Secret Service failed: \"\(message)\"; check that a keyring daemon "
        + "(gnome-keyring, KeePassXC, KWallet) provides org.freedesktop.secrets"
    }
  }
}

extension CompositeTokenStore {
  /// zen-do's token policy: the system keyring first, then the environment variable of the
  /// same name (`ZENODO_TOKEN`, `ZENODO_SANDBOX_TOKEN`).
  ///
  /// Pass the process environment.
  ///
  /// ```swift
  /// let lookup = try CompositeTokenStore.standard(
  ///   environment: ProcessInfo.processInfo.environment
  /// ).resolve(.production).require()
  /// ```
  public static func standard(environment: [String: String]) -> CompositeTokenStore {
    CompositeTokenStore([
      LibsecretTokenStore(environment: environment),
      EnvironmentTokenStore(environment: environment),
    ])
  }
}

import CLibsecret
import Dispatch
import ZenDo

/// Tokens in the system keyring through libsecret (the freedesktop Secret Service: GNOME
/// Keyring, KeePassXC, KWallet), under the entries that `secret-tool` and Python's `keyring`
/// use: schema `org.freedesktop.Secret.Generic`, attributes `service` and `username`.
///
/// Every call is bounded: a call the Secret Service does not answer is cancelled after
/// `timeout` seconds and reported as `KeyringError.timedOut`, so a caller can fall back.
/// libsecret is loaded at run time (`Libsecret`): where it is not installed, every call
/// throws `KeyringError.libraryNotInstalled`, and the environment answers instead.
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
    let lib = try ready()
    // One deadline for both calls, so a lookup stays within `timeout` in all.
    let deadline = DispatchTime.now() + timeout
    let found: String? = try withCall(lib, account, until: deadline) {
      schema, attributes, cancellable, error in
      guard let password = lib.passwordLookup(schema, attributes, cancellable, &error)
      else { return nil }
      defer { lib.passwordFree(password) }
      return String(cString: password)
    }
    // `echo "$TOKEN" | secret-tool store ...` keeps the newline; a header must not.
    if let found = found?.trimmedOfWhitespace(), !found.isEmpty { return ZenodoToken(found) }
    // A locked collection answers "nothing" with no error: tell that apart from absence.
    if try hasLockedEntry(lib, account, until: deadline) { throw KeyringError.locked(account) }
    return nil
  }

  /// Stores `token` for `account` in the default collection, replacing every earlier entry
  /// for the account (also those made by other tools).
  public func setToken(_ token: ZenodoToken, for account: TokenAccount) throws {
    let lib = try ready()
    let label = "Zenodo token (\(account.rawValue)) for \(service)"
    let deadline = DispatchTime.now() + timeout
    // Entries made by secret-tool or Python's keyring carry other extra attributes, so
    // storing would add a second entry beside them, and lookups could return the stale one.
    try withCall(lib, account, until: deadline) { schema, attributes, cancellable, error in
      _ = lib.passwordClear(schema, attributes, cancellable, &error)
    }
    let stored: Bool = try withCall(lib, account, until: deadline) {
      schema, attributes, cancellable, error in
      lib.passwordStore(
        schema, attributes, nil, label, token.secret, cancellable, &error) != 0
    }
    if !stored { throw KeyringError.failed("the Secret Service did not store the token") }
  }

  /// Removes every entry for `account`; returns false when there was none.
  @discardableResult
  public func deleteToken(for account: TokenAccount) throws -> Bool {
    let lib = try ready()
    return try withCall(lib, account) { schema, attributes, cancellable, error in
      lib.passwordClear(schema, attributes, cancellable, &error) != 0
    }
  }

  /// libsecret, once it is known to be installed and to have a session bus to talk on.
  ///
  /// libsecret with no session bus may try to autolaunch one through X11: never let it.
  private func ready() throws(KeyringError) -> Libsecret {
    let lib = try Libsecret.shared.get()
    let address = environment["DBUS_SESSION_BUS_ADDRESS"]?.trimmedOfWhitespace() ?? ""
    if address.isEmpty { throw KeyringError.noSessionBus }
    return lib
  }

  /// Whether an entry for `account` exists but sits in a locked collection.
  private func hasLockedEntry(
    _ lib: Libsecret, _ account: TokenAccount, until deadline: DispatchTime
  ) throws -> Bool {
    try withCall(lib, account, until: deadline) { schema, attributes, cancellable, error in
      // SECRET_SEARCH_ALL without SECRET_SEARCH_UNLOCK: never prompt, only look.
      guard
        let items = lib.serviceSearch(
          nil, schema, attributes, ZD_SECRET_SEARCH_ALL, cancellable, &error)
      else { return false }
      defer { lib.listFreeFull(items, lib.objectUnrefNotify) }
      var node: UnsafeMutablePointer<GList>? = items
      while let current = node {
        if let item = current.pointee.data, lib.itemGetLocked(OpaquePointer(item)) != 0 {
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
    _ lib: Libsecret, _ account: TokenAccount, until deadline: DispatchTime? = nil,
    _ body: (
      OpaquePointer, OpaquePointer, OpaquePointer, inout UnsafeMutablePointer<GError>?
    ) -> T
  ) throws -> T {
    let schema = Self.makeSchema(lib)
    defer { lib.schemaUnref(schema) }
    let attributes = Self.makeTable(lib, [("service", service), ("username", account.rawValue)])
    defer { lib.hashTableUnref(attributes) }
    // GLib aborts on out-of-memory instead of returning NULL.
    // swift-format-ignore: NeverForceUnwrap
    let cancellable = lib.cancellableNew()!
    defer { lib.objectUnref(UnsafeMutableRawPointer(cancellable)) }
    // The timer keeps its own reference, so it may fire after the call has returned.
    // GLib aborts on out-of-memory instead of returning NULL.
    // swift-format-ignore: NeverForceUnwrap
    let timer = CancellableBox(lib, lib.objectRef(UnsafeMutableRawPointer(cancellable))!)
    DispatchQueue.global().asyncAfter(deadline: deadline ?? .now() + timeout) {
      timer.lib.cancellableCancel(OpaquePointer(timer.pointer))
      timer.lib.objectUnref(timer.pointer)
    }
    var error: UnsafeMutablePointer<GError>? = nil
    let result = body(schema, attributes, cancellable, &error)
    if let error {
      defer { lib.errorFree(error) }
      if lib.cancellableIsCancelled(cancellable) != 0 { throw KeyringError.timedOut(timeout) }
      throw KeyringError.failed(String(cString: error.pointee.message))
    }
    return result
  }

  /// The generic schema with `service` and `username` string attributes, not matched by
  /// name, so entries written by other tools are found too.
  private static func makeSchema(_ lib: Libsecret) -> OpaquePointer {
    // GLib aborts on out-of-memory instead of returning NULL.
    // swift-format-ignore: NeverForceUnwrap
    let types = lib.hashTableNew(lib.strHash, lib.strEqual, lib.freeNotify, nil)!
    defer { lib.hashTableUnref(types) }
    for name in ["service", "username"] {
      // The value is the attribute type; SECRET_SCHEMA_ATTRIBUTE_STRING is 0.
      _ = lib.hashTableInsert(
        types, lib.strdup(name),
        UnsafeMutableRawPointer(bitPattern: Int(ZD_SECRET_SCHEMA_ATTRIBUTE_STRING)))
    }
    // GLib aborts on out-of-memory instead of returning NULL.
    // swift-format-ignore: NeverForceUnwrap
    return lib.schemaNew("org.freedesktop.Secret.Generic", ZD_SECRET_SCHEMA_DONT_MATCH_NAME, types)!
  }

  /// A GHashTable of owned C strings; the caller unrefs it.
  private static func makeTable(_ lib: Libsecret, _ pairs: [(String, String)]) -> OpaquePointer {
    // GLib aborts on out-of-memory instead of returning NULL.
    // swift-format-ignore: NeverForceUnwrap
    let table = lib.hashTableNew(lib.strHash, lib.strEqual, lib.freeNotify, lib.freeNotify)!
    for (key, value) in pairs {
      _ = lib.hashTableInsert(
        table, UnsafeMutableRawPointer(lib.strdup(key)), UnsafeMutableRawPointer(lib.strdup(value)))
    }
    return table
  }
}

/// A GCancellable handed to the timer queue; GCancellable is thread-safe by design.
private struct CancellableBox: @unchecked Sendable {
  let lib: Libsecret
  let pointer: UnsafeMutableRawPointer
  init(_ lib: Libsecret, _ pointer: UnsafeMutableRawPointer) {
    self.lib = lib
    self.pointer = pointer
  }
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
  /// libsecret could not be loaded (not installed); the second text is the loader's message.
  case libraryNotInstalled(String, String)
  /// libsecret was loaded but lacks a function zen-do calls (the second text names it).
  case libraryIncomplete(String, String)
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
    case .libraryNotInstalled(_, let reason):
      "the keyring library libsecret is not installed (\(reason)); "
        + "install it (Debian and Ubuntu: `apt install libsecret-1-0`) to use the system keyring"
    case .libraryIncomplete(let soname, let function):
      "the keyring library \(soname) has no \(function) (libsecret 0.18 or later is needed); "
        + "update libsecret to use the system keyring"
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

import CLibsecret

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// libsecret and the GLib functions zen-do calls, loaded at run time with `dlopen`, so the
/// zen-do binary neither links libsecret nor needs it to start.
///
/// The GLib functions are looked up through libsecret's handle: `dlsym` on a handle searches
/// the library and the libraries it depends on (libglib, libgobject, libgio), so they are the
/// copies libsecret itself uses.
struct Libsecret: @unchecked Sendable {
  /// The soname loaded; the one Debian's `libsecret-1-0`, Fedora's `libsecret` and every other
  /// distribution's libsecret 0.x package install.
  static let soname = "libsecret-1.so.0"

  /// The library, loaded on first use; the error when it is not installed or incomplete.
  static let shared: Result<Libsecret, KeyringError> = Result {
    () throws(KeyringError) -> Libsecret in try Libsecret(soname: soname)
  }

  let passwordLookup: zd_secret_password_lookupv_sync
  let passwordStore: zd_secret_password_storev_sync
  let passwordClear: zd_secret_password_clearv_sync
  let passwordFree: zd_secret_password_free
  let serviceSearch: zd_secret_service_search_sync
  let itemGetLocked: zd_secret_item_get_locked
  let schemaNew: zd_secret_schema_newv
  let schemaUnref: zd_secret_schema_unref
  let hashTableNew: zd_g_hash_table_new_full
  let hashTableInsert: zd_g_hash_table_insert
  let hashTableUnref: zd_g_hash_table_unref
  let strHash: GHashFunc
  let strEqual: GEqualFunc
  let strdup: zd_g_strdup
  let free: zd_g_free
  /// `g_free` as a destroy notifier for hash tables.
  let freeNotify: GDestroyNotify
  let listFreeFull: zd_g_list_free_full
  let cancellableNew: zd_g_cancellable_new
  let cancellableCancel: zd_g_cancellable_cancel
  let cancellableIsCancelled: zd_g_cancellable_is_cancelled
  let objectRef: zd_g_object_ref
  let objectUnref: zd_g_object_unref
  /// `g_object_unref` as a destroy notifier for lists of objects.
  let objectUnrefNotify: GDestroyNotify
  let errorFree: zd_g_error_free

  /// Loads `soname` and every function; throws `KeyringError.libraryNotInstalled` when the
  /// library cannot be loaded and `.libraryIncomplete` when a function is missing from it.
  ///
  /// The handle is never closed: GLib cannot be unloaded safely.
  init(soname: String) throws(KeyringError) {
    guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL) else {
      throw .libraryNotInstalled(soname, Self.lastError())
    }
    func symbol<T>(_ name: String, as type: T.Type) throws(KeyringError) -> T {
      guard let address = dlsym(handle, name) else {
        throw .libraryIncomplete(soname, name)
      }
      return unsafeBitCast(address, to: type)
    }
    passwordLookup = try symbol(
      "secret_password_lookupv_sync", as: zd_secret_password_lookupv_sync.self)
    passwordStore = try symbol(
      "secret_password_storev_sync", as: zd_secret_password_storev_sync.self)
    passwordClear = try symbol(
      "secret_password_clearv_sync", as: zd_secret_password_clearv_sync.self)
    passwordFree = try symbol("secret_password_free", as: zd_secret_password_free.self)
    serviceSearch = try symbol("secret_service_search_sync", as: zd_secret_service_search_sync.self)
    itemGetLocked = try symbol("secret_item_get_locked", as: zd_secret_item_get_locked.self)
    schemaNew = try symbol("secret_schema_newv", as: zd_secret_schema_newv.self)
    schemaUnref = try symbol("secret_schema_unref", as: zd_secret_schema_unref.self)
    hashTableNew = try symbol("g_hash_table_new_full", as: zd_g_hash_table_new_full.self)
    hashTableInsert = try symbol("g_hash_table_insert", as: zd_g_hash_table_insert.self)
    hashTableUnref = try symbol("g_hash_table_unref", as: zd_g_hash_table_unref.self)
    strHash = try symbol("g_str_hash", as: GHashFunc.self)
    strEqual = try symbol("g_str_equal", as: GEqualFunc.self)
    strdup = try symbol("g_strdup", as: zd_g_strdup.self)
    free = try symbol("g_free", as: zd_g_free.self)
    freeNotify = try symbol("g_free", as: GDestroyNotify.self)
    listFreeFull = try symbol("g_list_free_full", as: zd_g_list_free_full.self)
    cancellableNew = try symbol("g_cancellable_new", as: zd_g_cancellable_new.self)
    cancellableCancel = try symbol("g_cancellable_cancel", as: zd_g_cancellable_cancel.self)
    cancellableIsCancelled = try symbol(
      "g_cancellable_is_cancelled", as: zd_g_cancellable_is_cancelled.self)
    objectRef = try symbol("g_object_ref", as: zd_g_object_ref.self)
    objectUnref = try symbol("g_object_unref", as: zd_g_object_unref.self)
    objectUnrefNotify = try symbol("g_object_unref", as: GDestroyNotify.self)
    errorFree = try symbol("g_error_free", as: zd_g_error_free.self)
  }

  /// The loader's message for the last failed `dlopen`, such as "libsecret-1.so.0: cannot
  /// open shared object file: No such file or directory".
  private static func lastError() -> String {
    guard let message = dlerror() else { return "unknown dlopen error" }
    return String(cString: message)
  }
}

#ifndef ZEN_DO_CLIBSECRET_SHIM_H
#define ZEN_DO_CLIBSECRET_SHIM_H
// The few libsecret and GLib types and functions zen-do calls, declared here so that zen-do
// builds without libsecret's headers and does not link it: LibsecretTokenStore loads
// libsecret-1.so.0 with dlopen and finds each function below with dlsym, so a binary on a
// machine without libsecret still starts (and falls back to the environment variable).
// The declarations follow the stable ABIs of GLib 2 and libsecret-1 (secret-schema.h,
// secret-types.h, secret-password.h, secret-service.h, secret-item.h).

#include <stdint.h>

typedef char gchar;
typedef int gboolean;
typedef unsigned int guint;
typedef void *gpointer;
typedef const void *gconstpointer;
typedef uint32_t GQuark;

typedef struct _GHashTable GHashTable;
typedef struct _GCancellable GCancellable;
typedef struct _SecretSchema SecretSchema;
typedef struct _SecretService SecretService;
typedef struct _SecretItem SecretItem;

typedef struct _GError {
  GQuark domain;
  int code;
  gchar *message;
} GError;

typedef struct _GList {
  gpointer data;
  struct _GList *next;
  struct _GList *prev;
} GList;

typedef guint (*GHashFunc)(gconstpointer key);
typedef gboolean (*GEqualFunc)(gconstpointer a, gconstpointer b);
typedef void (*GDestroyNotify)(gpointer data);

/// SecretSchemaAttributeType's SECRET_SCHEMA_ATTRIBUTE_STRING.
static const int ZD_SECRET_SCHEMA_ATTRIBUTE_STRING = 0;
/// SecretSchemaFlags's SECRET_SCHEMA_DONT_MATCH_NAME.
static const int ZD_SECRET_SCHEMA_DONT_MATCH_NAME = 1 << 1;
/// SecretSearchFlags's SECRET_SEARCH_ALL (without SECRET_SEARCH_UNLOCK: never prompts).
static const int ZD_SECRET_SEARCH_ALL = 1 << 1;

// The signatures, as function pointer types for the addresses dlsym returns.
typedef gchar *(*zd_secret_password_lookupv_sync)(
    const SecretSchema *schema, GHashTable *attributes, GCancellable *cancellable,
    GError **error);
typedef gboolean (*zd_secret_password_storev_sync)(
    const SecretSchema *schema, GHashTable *attributes, const gchar *collection,
    const gchar *label, const gchar *password, GCancellable *cancellable, GError **error);
typedef gboolean (*zd_secret_password_clearv_sync)(
    const SecretSchema *schema, GHashTable *attributes, GCancellable *cancellable,
    GError **error);
typedef void (*zd_secret_password_free)(gchar *password);
typedef GList *(*zd_secret_service_search_sync)(
    SecretService *service, const SecretSchema *schema, GHashTable *attributes, int flags,
    GCancellable *cancellable, GError **error);
typedef gboolean (*zd_secret_item_get_locked)(SecretItem *item);
typedef SecretSchema *(*zd_secret_schema_newv)(
    const gchar *name, int flags, GHashTable *attribute_names_and_types);
typedef void (*zd_secret_schema_unref)(SecretSchema *schema);

typedef GHashTable *(*zd_g_hash_table_new_full)(
    GHashFunc hash, GEqualFunc equal, GDestroyNotify key_destroy, GDestroyNotify value_destroy);
typedef gboolean (*zd_g_hash_table_insert)(GHashTable *table, gpointer key, gpointer value);
typedef void (*zd_g_hash_table_unref)(GHashTable *table);
typedef gchar *(*zd_g_strdup)(const gchar *text);
typedef void (*zd_g_free)(gpointer memory);
typedef void (*zd_g_list_free_full)(GList *list, GDestroyNotify free_func);
typedef GCancellable *(*zd_g_cancellable_new)(void);
typedef void (*zd_g_cancellable_cancel)(GCancellable *cancellable);
typedef gboolean (*zd_g_cancellable_is_cancelled)(GCancellable *cancellable);
typedef gpointer (*zd_g_object_ref)(gpointer object);
typedef void (*zd_g_object_unref)(gpointer object);
typedef void (*zd_g_error_free)(GError *error);

#endif

#ifndef ZEN_DO_CLIBSECRET_SHIM_H
#define ZEN_DO_CLIBSECRET_SHIM_H
#include <libsecret/secret.h>
#endif

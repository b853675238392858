#ifndef EMULATOR_MD5_H
#define EMULATOR_MD5_H

#include <stddef.h>
#include <stdint.h>

/// Incremental MD5 state (RFC 1321).
typedef struct {
  uint32_t state[4];
  uint64_t length;
  unsigned char buffer[64];
  size_t buffered;
} emulator_md5_context;

void emulator_md5_init(emulator_md5_context *context);
void emulator_md5_update(emulator_md5_context *context, const void *data, size_t count);
void emulator_md5_final(emulator_md5_context *context, unsigned char digest[16]);

#endif

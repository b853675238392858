// MD5 (RFC 1321), written for the emulator so that checksums of multi-gigabyte uploads are
// computed incrementally and fast even in debug builds (this target is built with -O2).
#include "emulator_md5.h"
#include <string.h>

#define ROTL(x, c) (((x) << (c)) | ((x) >> (32 - (c))))

static const uint32_t K[64] = {
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static const unsigned char R[64] = {
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void block(uint32_t state[4], const unsigned char *p) {
  uint32_t m[16];
  for (int i = 0; i < 16; i++) {
    m[i] = (uint32_t)p[i * 4] | ((uint32_t)p[i * 4 + 1] << 8) | ((uint32_t)p[i * 4 + 2] << 16) |
           ((uint32_t)p[i * 4 + 3] << 24);
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  for (int i = 0; i < 64; i++) {
    uint32_t f;
    int g;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    uint32_t t = d;
    d = c;
    c = b;
    b = b + ROTL(a + f + K[i] + m[g], R[i]);
    a = t;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

void emulator_md5_init(emulator_md5_context *ctx) {
  ctx->state[0] = 0x67452301;
  ctx->state[1] = 0xefcdab89;
  ctx->state[2] = 0x98badcfe;
  ctx->state[3] = 0x10325476;
  ctx->length = 0;
  ctx->buffered = 0;
}

void emulator_md5_update(emulator_md5_context *ctx, const void *data, size_t count) {
  const unsigned char *p = (const unsigned char *)data;
  ctx->length += count;
  if (ctx->buffered > 0) {
    size_t take = 64 - ctx->buffered;
    if (take > count) take = count;
    memcpy(ctx->buffer + ctx->buffered, p, take);
    ctx->buffered += take;
    p += take;
    count -= take;
    if (ctx->buffered == 64) {
      block(ctx->state, ctx->buffer);
      ctx->buffered = 0;
    }
  }
  while (count >= 64) {
    block(ctx->state, p);
    p += 64;
    count -= 64;
  }
  if (count > 0) {
    memcpy(ctx->buffer, p, count);
    ctx->buffered = count;
  }
}

void emulator_md5_final(emulator_md5_context *ctx, unsigned char digest[16]) {
  uint64_t bits = ctx->length * 8;
  unsigned char pad[72];
  size_t padLength = (ctx->buffered < 56) ? (56 - ctx->buffered) : (120 - ctx->buffered);
  memset(pad, 0, sizeof pad);
  pad[0] = 0x80;
  for (int i = 0; i < 8; i++) pad[padLength + i] = (unsigned char)(bits >> (8 * i));
  uint64_t savedLength = ctx->length;
  emulator_md5_update(ctx, pad, padLength + 8);
  ctx->length = savedLength;
  for (int i = 0; i < 4; i++) {
    digest[i * 4] = (unsigned char)(ctx->state[i]);
    digest[i * 4 + 1] = (unsigned char)(ctx->state[i] >> 8);
    digest[i * 4 + 2] = (unsigned char)(ctx->state[i] >> 16);
    digest[i * 4 + 3] = (unsigned char)(ctx->state[i] >> 24);
  }
}

// zlib's inflate API. inflateInit2 is a macro, which Swift cannot call, so a wrapper is given.
#ifndef SWIFTTUNE_CZLIB_SHIM_H
#define SWIFTTUNE_CZLIB_SHIM_H
#include <zlib.h>

/// Starts inflating a gzip or zlib stream (header detected automatically).
static inline int swifttune_inflate_init_auto(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
#endif

// PNG and JPEG decoding and encoding through Debian's libpng and libjpeg-turbo, behind functions
// that never exit or jump out: every failure returns 0 with a message. Pixels are 8-bit,
// interleaved, row-major (gray: 1 byte per pixel, RGB: 3); buffers handed out are allocated with
// malloc and freed by the caller with swifttune_image_free.
#ifndef SWIFTTUNE_CIMAGECODECS_H
#define SWIFTTUNE_CIMAGECODECS_H

#include <stddef.h>

/// Room for a failure's message, terminating zero included.
#define SWIFTTUNE_IMAGE_MESSAGE_SIZE 200

/// A decoded image, or a failure's message (when `pixels` is null).
typedef struct {
    unsigned char *pixels;
    int width;
    int height;
    /// 1 (gray) or 3 (RGB).
    int channels;
    char message[SWIFTTUNE_IMAGE_MESSAGE_SIZE];
} swifttune_image;

/// Decodes a PNG file's bytes to `channels` (1 or 3) channels: color converted to gray or gray
/// expanded to RGB, alpha composited on black, 16-bit reduced to 8. Returns 1, or 0 with a message.
int swifttune_png_decode(const unsigned char *data, size_t size, int channels, swifttune_image *image);

/// Decodes a JPEG file's bytes to `channels` (1 or 3) channels. A truncated or corrupt stream is
/// a failure (libjpeg's warnings are treated as errors). Returns 1, or 0 with a message.
int swifttune_jpeg_decode(const unsigned char *data, size_t size, int channels, swifttune_image *image);

/// Encodes `pixels` (`width × height × channels`, channels 1 or 3) as PNG into `*out`
/// (`*out_size` bytes). Returns 1, or 0 with a message in `message`.
int swifttune_png_encode(
    const unsigned char *pixels, int width, int height, int channels, unsigned char **out, size_t *out_size,
    char *message);

/// Encodes `pixels` as JPEG of `quality` (1–100) into `*out`. Returns 1, or 0 with a message.
int swifttune_jpeg_encode(
    const unsigned char *pixels, int width, int height, int channels, int quality, unsigned char **out,
    size_t *out_size, char *message);

/// Frees a buffer the functions above handed out.
void swifttune_image_free(void *buffer);

#endif

// JPEG through libjpeg-turbo. libjpeg's default error handler exits the process; here errors
// (and warnings, such as a truncated stream) jump back to the caller with the library's message.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "image_codecs.h"

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
} error_handler;

static void fail(j_common_ptr info) {
    error_handler *handler = (error_handler *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    snprintf(handler->message, SWIFTTUNE_IMAGE_MESSAGE_SIZE, "%s", text);
    longjmp(handler->jump, 1);
}

/// A stream that ends early is a failure (libjpeg would only warn and fill the rest with gray);
/// other warnings, such as extraneous bytes between markers, are ignored as most decoders do.
static void warn(j_common_ptr info, int level) {
    if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF) fail(info);
}

int swifttune_jpeg_decode(const unsigned char *data, size_t size, int channels, swifttune_image *image) {
    memset(image, 0, sizeof *image);
    struct jpeg_decompress_struct info;
    error_handler handler;
    handler.message = image->message;
    info.err = jpeg_std_error(&handler.base);
    handler.base.error_exit = fail;
    handler.base.emit_message = warn;
    unsigned char *volatile pixels = NULL;
    if (setjmp(handler.jump)) {
        free(pixels);
        jpeg_destroy_decompress(&info);
        return 0;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    size_t row = (size_t)info.output_width * (size_t)info.output_components;
    pixels = malloc(row * info.output_height + 1);
    if (pixels == NULL) {
        snprintf(image->message, SWIFTTUNE_IMAGE_MESSAGE_SIZE, "out of memory");
        jpeg_destroy_decompress(&info);
        return 0;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW line = pixels + row * info.output_scanline;
        jpeg_read_scanlines(&info, &line, 1);
    }
    jpeg_finish_decompress(&info);
    image->pixels = pixels;
    image->width = (int)info.output_width;
    image->height = (int)info.output_height;
    image->channels = info.output_components;
    jpeg_destroy_decompress(&info);
    return 1;
}

int swifttune_jpeg_encode(
    const unsigned char *pixels, int width, int height, int channels, int quality, unsigned char **out,
    size_t *out_size, char *message) {
    struct jpeg_compress_struct info;
    error_handler handler;
    handler.message = message;
    info.err = jpeg_std_error(&handler.base);
    handler.base.error_exit = fail;
    unsigned char *buffer = NULL;
    unsigned long size = 0;
    if (setjmp(handler.jump)) {
        jpeg_destroy_compress(&info);
        free(buffer);
        return 0;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    size_t row = (size_t)width * (size_t)channels;
    while (info.next_scanline < info.image_height) {
        JSAMPROW line = (JSAMPROW)(pixels + row * info.next_scanline);
        jpeg_write_scanlines(&info, &line, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *out = buffer;
    *out_size = size;
    return 1;
}

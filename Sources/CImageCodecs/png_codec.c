// PNG through libpng's simplified API, which reports errors in the png_image instead of jumping.
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image_codecs.h"

static void copy_message(char *destination, const char *text) {
    snprintf(destination, SWIFTTUNE_IMAGE_MESSAGE_SIZE, "%s", text);
}

int swifttune_png_decode(const unsigned char *data, size_t size, int channels, swifttune_image *image) {
    memset(image, 0, sizeof *image);
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&png, data, size)) {
        copy_message(image->message, png.message);
        return 0;
    }
    png.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    size_t bytes = PNG_IMAGE_SIZE(png);
    unsigned char *pixels = malloc(bytes > 0 ? bytes : 1);
    if (pixels == NULL) {
        png_image_free(&png);
        copy_message(image->message, "out of memory");
        return 0;
    }
    png_color black = {0, 0, 0};
    if (!png_image_finish_read(&png, &black, pixels, 0, NULL)) {
        copy_message(image->message, png.message);
        free(pixels);
        png_image_free(&png);
        return 0;
    }
    image->pixels = pixels;
    image->width = (int)png.width;
    image->height = (int)png.height;
    image->channels = channels;
    return 1;
}

int swifttune_png_encode(
    const unsigned char *pixels, int width, int height, int channels, unsigned char **out, size_t *out_size,
    char *message) {
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = (png_uint_32)width;
    png.height = (png_uint_32)height;
    png.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    size_t size = 0;
    if (!png_image_write_to_memory(&png, NULL, &size, 0, pixels, 0, NULL)) {
        copy_message(message, png.message);
        return 0;
    }
    unsigned char *buffer = malloc(size);
    if (buffer == NULL) {
        copy_message(message, "out of memory");
        return 0;
    }
    if (!png_image_write_to_memory(&png, buffer, &size, 0, pixels, 0, NULL)) {
        copy_message(message, png.message);
        free(buffer);
        return 0;
    }
    *out = buffer;
    *out_size = size;
    return 1;
}

void swifttune_image_free(void *buffer) { free(buffer); }

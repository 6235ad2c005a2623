#include "CJPEGShim.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

/// Progressive streams may carry thousands of tiny scans to burn CPU; real files have a few dozen.
#define QRS_MAX_SCANS 500

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} qrs_error_mgr;

/// Replaces libjpeg's default, which calls exit(): remember the text and jump back into the shim.
static void qrs_error_exit(j_common_ptr cinfo) {
    qrs_error_mgr *err = (qrs_error_mgr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

/// Warnings are counted by libjpeg's emit_message; printing them to stderr is not ours to do.
static void qrs_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void qrs_progress(j_common_ptr cinfo) {
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (dinfo->input_scan_number > QRS_MAX_SCANS) {
        qrs_error_mgr *err = (qrs_error_mgr *)cinfo->err;
        snprintf(err->message, sizeof err->message, "more than %d progressive scans", QRS_MAX_SCANS);
        longjmp(err->jump, 1);
    }
}

static void qrs_fill_info(j_decompress_ptr cinfo, qrs_jpeg_info *info) {
    info->width = cinfo->image_width;
    info->height = cinfo->image_height;
    info->components = cinfo->num_components;
    info->color_space = (int)cinfo->jpeg_color_space;
    info->warnings = cinfo->err->num_warnings;
}

static void qrs_copy_message(const qrs_error_mgr *err, qrs_jpeg_info *info) {
    snprintf(info->message, sizeof info->message, "%s", err->message);
}

/// CMYK to gray. Adobe writes CMYK inverted (0 = full ink), which is what `inverted` says.
static void qrs_cmyk_row_to_gray(const JSAMPLE *cmyk, uint8_t *gray, size_t width, int inverted) {
    for (size_t x = 0; x < width; x++) {
        unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        if (!inverted) {
            c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
        }
        unsigned r = c * k / 255, g = m * k / 255, b = y * k / 255;
        gray[x] = (uint8_t)((299 * r + 587 * g + 114 * b + 500) / 1000);
    }
}

qrs_jpeg_status qrs_jpeg_read_info(const uint8_t *data, size_t size, qrs_jpeg_info *info) {
    struct jpeg_decompress_struct cinfo;
    qrs_error_mgr err;
    memset(info, 0, sizeof *info);
    err.message[0] = '\0';
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = qrs_error_exit;
    err.pub.output_message = qrs_output_message;
    if (setjmp(err.jump)) {
        qrs_copy_message(&err, info);
        jpeg_destroy_decompress(&cinfo);
        return QRS_JPEG_LIBJPEG_ERROR;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    qrs_fill_info(&cinfo, info);
    jpeg_destroy_decompress(&cinfo);
    return QRS_JPEG_OK;
}

/// CMYK to RGB, with the same inversion rule.
static void qrs_cmyk_row_to_rgb(const JSAMPLE *cmyk, uint8_t *rgb, size_t width, int inverted) {
    for (size_t x = 0; x < width; x++) {
        unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        if (!inverted) {
            c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
        }
        rgb[3 * x] = (uint8_t)(c * k / 255);
        rgb[3 * x + 1] = (uint8_t)(m * k / 255);
        rgb[3 * x + 2] = (uint8_t)(y * k / 255);
    }
}

/// Decodes into `pixels`, `channels` bytes a pixel: 1 for gray, 3 for RGB.
static qrs_jpeg_status qrs_jpeg_decode(
    const uint8_t *data, size_t size, uint64_t max_pixels, unsigned scale_denom, int channels,
    uint8_t *pixels, size_t width, size_t height, qrs_jpeg_info *info) {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    qrs_error_mgr err;
    /* Only written before setjmp returns a second time, or not read after it: no volatile needed. */
    qrs_jpeg_status status = QRS_JPEG_OK;
    memset(info, 0, sizeof *info);
    err.message[0] = '\0';
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = qrs_error_exit;
    err.pub.output_message = qrs_output_message;
    if (setjmp(err.jump)) {
        qrs_copy_message(&err, info);
        jpeg_destroy_decompress(&cinfo);
        return QRS_JPEG_LIBJPEG_ERROR;
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = qrs_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    qrs_fill_info(&cinfo, info);

    // The size check comes before jpeg_start_decompress, which allocates the buffers.
    if ((uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height > max_pixels) {
        status = QRS_JPEG_TOO_MANY_PIXELS;
        goto done;
    }
    int cmyk = 0;
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: case JCS_YCbCr: case JCS_RGB:
        cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
        break;
    case JCS_CMYK: case JCS_YCCK:
        cinfo.out_color_space = JCS_CMYK;
        cmyk = 1;
        break;
    default:
        status = QRS_JPEG_UNSUPPORTED_COLOR_SPACE;
        goto done;
    }
    cinfo.scale_num = 1;
    cinfo.scale_denom = scale_denom;
    cinfo.dct_method = JDCT_ISLOW;
    jpeg_calc_output_dimensions(&cinfo);
    if (cinfo.output_width != width || cinfo.output_height != height) {
        status = QRS_JPEG_BUFFER_MISMATCH;
        goto done;
    }
    jpeg_start_decompress(&cinfo);
    // Freed with the decompressor, so an error jump leaks nothing.
    JSAMPARRAY cmyk_row = cmyk
        ? (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE, cinfo.output_width * 4, 1)
        : NULL;
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *row = pixels + (size_t)cinfo.output_scanline * width * (size_t)channels;
        if (cmyk) {
            jpeg_read_scanlines(&cinfo, cmyk_row, 1);
            if (channels == 1) {
                qrs_cmyk_row_to_gray(cmyk_row[0], row, width, cinfo.saw_Adobe_marker);
            } else {
                qrs_cmyk_row_to_rgb(cmyk_row[0], row, width, cinfo.saw_Adobe_marker);
            }
        } else {
            JSAMPROW rows[1] = {row};
            jpeg_read_scanlines(&cinfo, rows, 1);
        }
    }
    jpeg_finish_decompress(&cinfo);
    info->warnings = cinfo.err->num_warnings;
done:
    jpeg_destroy_decompress(&cinfo);
    return status;
}

qrs_jpeg_status qrs_jpeg_decode_gray(
    const uint8_t *data, size_t size, uint64_t max_pixels, unsigned scale_denom,
    uint8_t *pixels, size_t width, size_t height, qrs_jpeg_info *info) {
    return qrs_jpeg_decode(data, size, max_pixels, scale_denom, 1, pixels, width, height, info);
}

qrs_jpeg_status qrs_jpeg_decode_rgb(
    const uint8_t *data, size_t size, uint64_t max_pixels, unsigned scale_denom,
    uint8_t *pixels, size_t width, size_t height, qrs_jpeg_info *info) {
    return qrs_jpeg_decode(data, size, max_pixels, scale_denom, 3, pixels, width, height, info);
}

/// A destination the shim owns (libjpeg's jpeg_mem_dest frees and replaces its buffer privately,
/// so after an error jump the caller could not know which one to free).
typedef struct {
    struct jpeg_destination_mgr pub;
    uint8_t *buffer;
    size_t capacity;
} qrs_growing_dest;

static void qrs_dest_init(j_compress_ptr cinfo) {
    qrs_growing_dest *dest = (qrs_growing_dest *)cinfo->dest;
    dest->pub.next_output_byte = dest->buffer;
    dest->pub.free_in_buffer = dest->capacity;
}

/// Doubles the buffer; out of memory is an error jump like any other.
static boolean qrs_dest_grow(j_compress_ptr cinfo) {
    qrs_growing_dest *dest = (qrs_growing_dest *)cinfo->dest;
    size_t grown = dest->capacity * 2;
    uint8_t *bigger = realloc(dest->buffer, grown);
    if (bigger == NULL) {
        qrs_error_mgr *err = (qrs_error_mgr *)cinfo->err;
        snprintf(err->message, sizeof err->message, "out of memory for the JPEG");
        longjmp(err->jump, 1);
    }
    dest->pub.next_output_byte = bigger + dest->capacity;
    dest->pub.free_in_buffer = grown - dest->capacity;
    dest->buffer = bigger;
    dest->capacity = grown;
    return TRUE;
}

static void qrs_dest_term(j_compress_ptr cinfo) { (void)cinfo; }

qrs_jpeg_status qrs_jpeg_encode_rgb(
    const uint8_t *pixels, size_t width, size_t height, int quality,
    uint8_t **output, unsigned long *output_size, qrs_jpeg_info *info) {
    struct jpeg_compress_struct cinfo;
    qrs_error_mgr err;
    qrs_growing_dest dest;
    memset(info, 0, sizeof *info);
    err.message[0] = '\0';
    *output = NULL;
    *output_size = 0;
    dest.capacity = 65536;
    dest.buffer = malloc(dest.capacity);
    if (dest.buffer == NULL) {
        snprintf(info->message, sizeof info->message, "out of memory for the JPEG");
        return QRS_JPEG_LIBJPEG_ERROR;
    }
    dest.pub.init_destination = qrs_dest_init;
    dest.pub.empty_output_buffer = qrs_dest_grow;
    dest.pub.term_destination = qrs_dest_term;
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = qrs_error_exit;
    err.pub.output_message = qrs_output_message;
    if (setjmp(err.jump)) {
        // `dest` lives in memory libjpeg writes through a pointer, so its buffer is current here.
        qrs_copy_message(&err, info);
        jpeg_destroy_compress(&cinfo);
        free(dest.buffer);
        return QRS_JPEG_LIBJPEG_ERROR;
    }
    jpeg_create_compress(&cinfo);
    cinfo.dest = &dest.pub;
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[1] = {(JSAMPROW)(pixels + (size_t)cinfo.next_scanline * width * 3)};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    *output = dest.buffer;
    *output_size = (unsigned long)(dest.capacity - dest.pub.free_in_buffer);
    jpeg_destroy_compress(&cinfo);
    return QRS_JPEG_OK;
}

void qrs_jpeg_free(uint8_t *output) { free(output); }

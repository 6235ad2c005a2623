#ifndef QRSTORE_CJPEGSHIM_H
#define QRSTORE_CJPEGSHIM_H

#include <stddef.h>
#include <stdint.h>

/// Outcome of a shim call; each value names where it came from.
typedef enum {
    QRS_JPEG_OK = 0,
    /// libjpeg called error_exit: the stream is damaged or not a JPEG.
    QRS_JPEG_LIBJPEG_ERROR = 1,
    /// The header announces more pixels than the caller allows.
    QRS_JPEG_TOO_MANY_PIXELS = 2,
    /// A colour space this shim cannot turn into gray.
    QRS_JPEG_UNSUPPORTED_COLOR_SPACE = 3,
    /// The caller's buffer does not match the scaled output size.
    QRS_JPEG_BUFFER_MISMATCH = 4,
} qrs_jpeg_status;

/// What the header says, plus libjpeg's own words when something failed.
typedef struct {
    uint32_t width;
    uint32_t height;
    int components;
    /// The stream's J_COLOR_SPACE.
    int color_space;
    /// Warnings libjpeg raised (a truncated stream only warns).
    long warnings;
    char message[200];
} qrs_jpeg_info;

/// Reads the header only: no pixel memory is allocated.
qrs_jpeg_status qrs_jpeg_read_info(const uint8_t *data, size_t size, qrs_jpeg_info *info);

/// Decodes to 8-bit gray, scaled by 1/scale_denom (1, 2, 4 or 8) with libjpeg's DCT scaling.
/// `pixels` must hold exactly `width * height` bytes of the scaled size, which is
/// ceil(header width / scale_denom) by ceil(header height / scale_denom).
qrs_jpeg_status qrs_jpeg_decode_gray(
    const uint8_t *data, size_t size, uint64_t max_pixels, unsigned scale_denom,
    uint8_t *pixels, size_t width, size_t height, qrs_jpeg_info *info);

/// Decodes to 8-bit RGB (3 bytes a pixel), scaled like qrs_jpeg_decode_gray; gray and CMYK
/// streams are converted. `pixels` must hold exactly `width * height * 3` bytes of the scaled size.
qrs_jpeg_status qrs_jpeg_decode_rgb(
    const uint8_t *data, size_t size, uint64_t max_pixels, unsigned scale_denom,
    uint8_t *pixels, size_t width, size_t height, qrs_jpeg_info *info);

/// Encodes 8-bit RGB rows as a baseline JPEG of `quality` (1…100) into memory the shim
/// allocates; the caller releases `*output` with qrs_jpeg_free.
qrs_jpeg_status qrs_jpeg_encode_rgb(
    const uint8_t *pixels, size_t width, size_t height, int quality,
    uint8_t **output, unsigned long *output_size, qrs_jpeg_info *info);

/// Releases what qrs_jpeg_encode_rgb returned.
void qrs_jpeg_free(uint8_t *output);

#endif

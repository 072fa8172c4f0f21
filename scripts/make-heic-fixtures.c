// Writes the HEIC test files: tests/data/photo.jpg's pixels with libheif (x265), stored turned and
// carrying the HEIF transform (irot/imir) that turns them back, so a decoder that ignored it would
// see the photo turned. photo.jpg is bridge-1-original.jpg of Meta's PDQ test set (BSD licence,
// demo/images/LICENSE-ThreatExchange) scaled to 318 x 200 (Lanczos), JPEG quality 85: even sides,
// since libheif 1.15 writes an odd side that newer libheif (the options page's) refuses to decode.
// photo.gif is photo.jpg scaled to 200 px wide. Made once, committed; not part of the build:
//   apt-get install libheif-dev libjpeg-dev
//   gcc -O2 -o /tmp/make-heic scripts/make-heic-fixtures.c -lheif -ljpeg
//   /tmp/make-heic tests/data/photo.jpg tests/data/photo 50
// usage: make-heic IN.jpg OUT-PREFIX QUALITY
#include <stdio.h>
#include <libheif/heif.h>
#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>

struct rgb { int w, h; unsigned char *px; };

static struct rgb read_jpeg(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  struct jpeg_decompress_struct d; struct jpeg_error_mgr e;
  d.err = jpeg_std_error(&e); jpeg_create_decompress(&d); jpeg_stdio_src(&d, f);
  jpeg_read_header(&d, TRUE); d.out_color_space = JCS_RGB; jpeg_start_decompress(&d);
  struct rgb img = { d.output_width, d.output_height, malloc((size_t)d.output_width * d.output_height * 3) };
  while (d.output_scanline < d.output_height) {
    unsigned char *row = img.px + (size_t)d.output_scanline * img.w * 3;
    jpeg_read_scanlines(&d, &row, 1);
  }
  jpeg_finish_decompress(&d); jpeg_destroy_decompress(&d); fclose(f);
  return img;
}

// `stored` pixel (x, y) comes from upright pixel from(x, y).
enum turn { ROTATED_90_CW, TRANSPOSED };
static struct rgb turned(struct rgb in, enum turn how) {
  struct rgb out = { in.h, in.w, malloc((size_t)in.w * in.h * 3) };
  for (int y = 0; y < out.h; y++)
    for (int x = 0; x < out.w; x++) {
      int sx = y, sy = how == ROTATED_90_CW ? in.h - 1 - x : x;
      memcpy(out.px + ((size_t)y * out.w + x) * 3, in.px + ((size_t)sy * in.w + sx) * 3, 3);
    }
  return out;
}

static void check(struct heif_error err) {
  if (err.code != heif_error_Ok) { fprintf(stderr, "libheif: %s\n", err.message); exit(1); }
}

// libheif 1.15 writes the image's displayed size (after irot) as its spatial extent (ispe); the
// standard wants the stored size, and newer libheif (the options page's) refuses the mismatch.
static void store_stored_size_in_ispe(const char *path) {
  FILE *f = fopen(path, "r+b");
  static unsigned char file[1 << 20];
  size_t n = fread(file, 1, sizeof file, f);
  for (size_t i = 0; i + 16 <= n; i++)
    if (memcmp(file + i, "ispe", 4) == 0) {
      unsigned char size[8];
      memcpy(size, file + i + 12, 4); // height, then width: swapped
      memcpy(size + 4, file + i + 8, 4);
      fseek(f, (long)(i + 8), SEEK_SET);
      fwrite(size, 1, 8, f);
      break;
    }
  fclose(f);
}

static void write_heic(struct rgb img, enum heif_orientation orientation, int quality, const char *path) {
  struct heif_image *image;
  check(heif_image_create(img.w, img.h, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image));
  check(heif_image_add_plane(image, heif_channel_interleaved, img.w, img.h, 8));
  int stride;
  uint8_t *plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
  for (int y = 0; y < img.h; y++) memcpy(plane + (size_t)y * stride, img.px + (size_t)y * img.w * 3, (size_t)img.w * 3);
  struct heif_context *ctx = heif_context_alloc();
  struct heif_encoder *encoder;
  check(heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &encoder));
  check(heif_encoder_set_lossy_quality(encoder, quality));
  struct heif_encoding_options *options = heif_encoding_options_alloc();
  options->image_orientation = orientation; // libheif writes the irot/imir boxes for it
  check(heif_context_encode_image(ctx, image, encoder, options, NULL));
  check(heif_context_write_to_file(ctx, path));
  store_stored_size_in_ispe(path);
  heif_encoding_options_free(options); heif_encoder_release(encoder); heif_image_release(image); heif_context_free(ctx);
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: make-heic IN.jpg OUT-PREFIX QUALITY\n"); return 2; }
  struct rgb upright = read_jpeg(argv[1]);
  int quality = atoi(argv[3]);
  char path[4096];
  // Stored turned 90 degrees clockwise: shown after turning it back (EXIF orientation 8).
  snprintf(path, sizeof path, "%s-rotated.heic", argv[2]);
  write_heic(turned(upright, ROTATED_90_CW), heif_orientation_rotate_270_cw, quality, path);
  // Stored transposed (mirrored and turned): orientation 5 transposes it back.
  snprintf(path, sizeof path, "%s-transposed.heic", argv[2]);
  write_heic(turned(upright, TRANSPOSED), heif_orientation_rotate_90_cw_then_flip_horizontally, quality, path);
  return 0;
}

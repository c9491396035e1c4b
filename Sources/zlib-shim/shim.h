// zlib, for reading gzip-compressed data sets (IDX files) without a subprocess.
#ifndef WEIGHTLAB_ZLIB_SHIM_H
#define WEIGHTLAB_ZLIB_SHIM_H
#include <zlib.h>
#endif

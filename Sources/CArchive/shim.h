// libarchive's read/write API, zlib (the parallel gzip writer) and liblzma (xz with the
// CRC32 check the kernel's XZ decoder needs), seen by Swift
// through module CArchive. Only the Initrd module imports it.
#ifndef PXEFARM_CARCHIVE_SHIM_H
#define PXEFARM_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <lzma.h>

// archive_entry.h defines the file types as casts, `((__LA_MODE_T)0100000)`, which
// Swift does not import: re-declare them as typed constants.
static const __LA_MODE_T CARCHIVE_AE_IFMT = AE_IFMT;
static const __LA_MODE_T CARCHIVE_AE_IFREG = AE_IFREG;
static const __LA_MODE_T CARCHIVE_AE_IFLNK = AE_IFLNK;
static const __LA_MODE_T CARCHIVE_AE_IFSOCK = AE_IFSOCK;
static const __LA_MODE_T CARCHIVE_AE_IFCHR = AE_IFCHR;
static const __LA_MODE_T CARCHIVE_AE_IFBLK = AE_IFBLK;
static const __LA_MODE_T CARCHIVE_AE_IFDIR = AE_IFDIR;
static const __LA_MODE_T CARCHIVE_AE_IFIFO = AE_IFIFO;

// zlib's deflateInit2 and inflateInit2 are macros over the _ functions with a
// version check; expose them as functions.
static inline int carchive_deflate_init2(z_stream *stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif

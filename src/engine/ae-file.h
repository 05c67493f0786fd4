/* ae-file.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening and reading the files of a model folder, which may hold anything:
 * a FIFO blocks open() until someone writes to it, and /dev/zero behind a
 * symlink reads until memory runs out.  Every model file goes through here,
 * so only regular files are ever read, and text files only up to a cap.
 * Messages do not name the file: callers prefix its name.
 */
#pragma once

#include <stddef.h>
#include <sys/stat.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest JSON or text file read whole (config.json, vocab.json,
 * merges.txt, tokenizer.json): GPT-2's vocab.json is 1 MB, the largest
 * tokenizer.json files on the Hub about 35 MB. */
#define AE_FILE_MAX_TEXT_BYTES ((size_t) 128 * 1024 * 1024)

/* Opens @path read-only (following symlinks) without blocking, checks with
 * fstat() that it is a regular file, and returns the descriptor in @fd_out
 * (blocking mode restored, close-on-exec) and its status in @sb_out (may be
 * NULL).  A FIFO, device, socket or folder is AE_STATUS_IO with a message
 * that says what it is. */
AeStatus ae_file_open_regular (const char  *path,
                               int         *fd_out,
                               struct stat *sb_out,
                               AeError     *error);

/* Reads the whole regular file @path into a new NUL-terminated buffer
 * (free() it), refusing files larger than @max_bytes before reading them. */
AeStatus ae_file_read        (const char  *path,
                              size_t       max_bytes,
                              char       **out,
                              size_t      *out_len,
                              AeError     *error);

#ifdef __cplusplus
}
#endif

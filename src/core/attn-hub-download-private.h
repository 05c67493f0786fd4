/* attn-hub-download-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What attn-hub-download.c (the model: which files, in which order, the
 * totals) and attn-hub-transfer.c (one file: lock, GET with Range, hash,
 * blob, link) share.
 */
#pragma once

#include "attn-hub-download.h"

G_BEGIN_DECLS

typedef struct
{
  char            *name;
  AttnHubFileInfo *info;      /* NULL until its HEAD answered */
  guint64          received;
  gboolean         done;
} FileState;

struct _AttnHubDownload
{
  GObject               parent_instance;

  AttnHubClient        *client;
  char                 *repo_id;
  char                 *revision;
  char                 *commit;
  char                 *repo_dir;
  char                 *snapshot;
  GPtrArray            *files;       /* FileState */
  GStrv                 repo_files;  /* every file name in the repo */
  AttnHubDownloadState  state;
  GTask                *task;        /* owned while running */

  /* the current file's transfer */
  int                   current;
  int                   lock_fd;
  guint                 lock_source;
  guint                 retry_source;
  guint                 attempts;
  guint                 redirects;
  guint64               resume_from;
  GChecksum            *checksum;
  GInputStream         *in;
  GOutputStream        *out;

  /* totals */
  guint64               size;
  guint64               received;
  guint                 n_resumes;
  double                rate;
  gint64                rate_time;
  guint64               rate_bytes;
  gint64                last_emit;
};

/* attn-hub-download.c */
FileState *_attn_hub_download_current_file      (AttnHubDownload      *self);
void       _attn_hub_download_emit_changed      (AttnHubDownload      *self,
                                                 gboolean              force);
void       _attn_hub_download_set_state         (AttnHubDownload      *self,
                                                 AttnHubDownloadState  state);
void       _attn_hub_download_add_received      (AttnHubDownload      *self,
                                                 guint64               n);
/* Ends the download with @error (taken). */
void       _attn_hub_download_fail              (AttnHubDownload      *self,
                                                 GError               *error);
/* The current file is in its place: on to the next. */
void       _attn_hub_download_file_done         (AttnHubDownload      *self);

/* attn-hub-transfer.c */
char      *_attn_hub_download_blob_path         (AttnHubDownload      *self,
                                                 FileState            *file);
char      *_attn_hub_download_incomplete_path   (AttnHubDownload      *self,
                                                 FileState            *file);
void       _attn_hub_download_release_lock      (AttnHubDownload      *self);
void       _attn_hub_download_close_streams     (AttnHubDownload      *self);
/* When @file's blob (or a symlink-less copy) is already complete, makes
 * its snapshot link and moves on to the next file (or ends the download
 * when the link fails) and returns TRUE; FALSE: @file must be transferred. */
gboolean   _attn_hub_download_use_existing      (AttnHubDownload      *self,
                                                 FileState            *file);
/* Takes the current file's lock (waiting for another process), then
 * transfers, verifies and places it. */
void       _attn_hub_download_lock_and_transfer (AttnHubDownload      *self);

G_END_DECLS

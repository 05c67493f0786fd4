/* attn-hub-download.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One model's download into the Hugging Face cache, as a download manager
 * does it: only the files the engine reads (config.json, the tokenizer
 * files, model.safetensors or its index and shards), progress per file and
 * in total with rate and time left, a Range request to resume a transfer
 * that was cut off (now, or after a restart, from blobs/ETAG.incomplete),
 * sha256 of LFS files checked before they become blobs, and lock files so
 * two processes never write one blob at once.
 */
#pragma once

#include "attn-hub-client.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_HUB_DOWNLOAD_RESOLVING,   /* asking the Hub which files and blobs */
  ATTN_HUB_DOWNLOAD_RUNNING,     /* transferring */
  ATTN_HUB_DOWNLOAD_WAITING,     /* another process holds a blob's lock */
  ATTN_HUB_DOWNLOAD_DONE,
  ATTN_HUB_DOWNLOAD_FAILED,
} AttnHubDownloadState;

#define ATTN_TYPE_HUB_DOWNLOAD (attn_hub_download_get_type ())
G_DECLARE_FINAL_TYPE (AttnHubDownload, attn_hub_download, ATTN, HUB_DOWNLOAD, GObject)

AttnHubDownload     *attn_hub_download_new             (AttnHubClient       *client,
                                                        const char          *repo_id,
                                                        const char          *revision);

/* Downloads what is missing and returns the snapshot directory.  A model
 * the engine cannot run is an ATTN_HUB_ERROR_UNSUPPORTED error whose
 * files stay in the cache (get_snapshot_dir () names where).  Cancelling
 * keeps the partial file for the next run to resume. */
void                 attn_hub_download_run_async       (AttnHubDownload     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char                *attn_hub_download_run_finish      (AttnHubDownload     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

const char          *attn_hub_download_get_repo_id     (AttnHubDownload     *self);
/* NULL until the commit is known. */
const char          *attn_hub_download_get_snapshot_dir (AttnHubDownload    *self);
AttnHubDownloadState attn_hub_download_get_state       (AttnHubDownload     *self);

/* The files to fetch, known once resolving is over (shards join when the
 * index is in). */
guint                attn_hub_download_get_n_files     (AttnHubDownload     *self);
const char          *attn_hub_download_get_file_name   (AttnHubDownload     *self,
                                                        guint                index);
guint64              attn_hub_download_get_file_size   (AttnHubDownload     *self,
                                                        guint                index);
guint64              attn_hub_download_get_file_received (AttnHubDownload   *self,
                                                          guint              index);
/* The file being transferred, or -1. */
int                  attn_hub_download_get_current_file (AttnHubDownload    *self);

/* In total: bytes announced, bytes in the cache (including what was there
 * before), the transfer rate in bytes per second (0 until measured) and
 * the seconds left at that rate (-1 when unknown). */
guint64              attn_hub_download_get_size        (AttnHubDownload     *self);
guint64              attn_hub_download_get_received    (AttnHubDownload     *self);
double               attn_hub_download_get_rate        (AttnHubDownload     *self);
double               attn_hub_download_get_seconds_left (AttnHubDownload    *self);
/* The same for the current file at the current rate. */
double               attn_hub_download_get_file_seconds_left (AttnHubDownload *self,
                                                              guint            index);

/* How many transfers resumed with a Range request after being cut off. */
guint                attn_hub_download_get_n_resumes   (AttnHubDownload     *self);

/* "1.2 MB", "548 MB" for progress lines; "3 min 20 s" for time left. */
char                *attn_hub_format_bytes             (guint64              bytes);
char                *attn_hub_format_seconds           (double               seconds);
/* "124.4 M" parameters. */
char                *attn_hub_format_params            (guint64              n);

G_END_DECLS

/* attn-hub-cache.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Hugging Face cache as huggingface_hub lays it out, so that Python
 * tools and this app share one copy of every model:
 *
 *   CACHE/models--ORG--NAME/refs/REVISION          the commit, no newline
 *   CACHE/models--ORG--NAME/snapshots/COMMIT/FILE  -> ../../blobs/ETAG
 *   CACHE/models--ORG--NAME/blobs/ETAG             sha256 (LFS) or git sha1
 *   CACHE/models--ORG--NAME/blobs/ETAG.incomplete  a download under way
 *   CACHE/.locks/models--ORG--NAME/ETAG.lock       who writes that blob
 *
 * Finding a model there needs no network.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ATTN_HUB_ERROR (attn_hub_error_quark ())

typedef enum
{
  ATTN_HUB_ERROR_INVALID_ID,    /* not a repo id */
  ATTN_HUB_ERROR_NOT_CACHED,    /* not in the cache (or a blob is gone) */
  ATTN_HUB_ERROR_NOT_FOUND,     /* 404: no such repo, revision or file */
  ATTN_HUB_ERROR_UNAUTHORIZED,  /* 401/403: gated or private */
  ATTN_HUB_ERROR_OFFLINE,       /* HF_HUB_OFFLINE=1 and not cached */
  ATTN_HUB_ERROR_NETWORK,       /* connection refused, dropped, stalled */
  ATTN_HUB_ERROR_CHECKSUM,      /* the bytes are not the ones announced */
  ATTN_HUB_ERROR_BAD_RESPONSE,  /* the server said something we cannot use */
  ATTN_HUB_ERROR_DISK,          /* full disk, read-only cache, other I/O */
  ATTN_HUB_ERROR_NO_WEIGHTS,    /* no safetensors weights in the repo */
  ATTN_HUB_ERROR_UNSUPPORTED,   /* downloaded, but the engine cannot run it */
} AttnHubError;

GQuark      attn_hub_error_quark        (void);

/* $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub,
 * else ~/.cache/huggingface/hub: the order huggingface_hub reads them in. */
char       *attn_hub_cache_dir          (void);

/* TRUE for "NAME" or "ORG/NAME" as the Hub allows them: letters, digits,
 * "-", "_" and ".", at most 96 each, no "--" or "..", not starting or
 * ending with "-" or ".". */
gboolean    attn_hub_is_repo_id         (const char   *text);

/* TRUE for a full 40-hex-digit commit hash. */
gboolean    attn_hub_is_commit          (const char   *text);

/* "ORG/NAME" when @dir is CACHE/models--ORG--NAME/snapshots/COMMIT (in
 * any cache), else NULL. */
char       *attn_hub_repo_id_from_path  (const char   *dir);

/* CACHE/models--ORG--NAME. */
char       *attn_hub_repo_dir           (const char   *cache_dir,
                                         const char   *repo_id);

/* The commit @revision (a branch, tag or commit) points to in the cache,
 * from refs/ (a commit hash is its own answer); NULL with
 * ATTN_HUB_ERROR_NOT_CACHED when there is no such ref. */
char       *attn_hub_cache_read_ref     (const char   *repo_dir,
                                         const char   *revision,
                                         GError      **error);

/* The snapshot directory of @repo_id at @revision in @cache_dir, with no
 * network access.  Every file in it must be readable: a snapshot whose
 * blob was deleted is ATTN_HUB_ERROR_NOT_CACHED naming the file. */
char       *attn_hub_cache_snapshot     (const char   *cache_dir,
                                         const char   *repo_id,
                                         const char   *revision,
                                         GError      **error);

/* What --model and the app's model setting accept: an existing directory
 * as it is, or a repo id resolved to the cached snapshot of refs/main.
 * A repo id that is not cached is an error that says how to download it. */
char       *attn_hub_resolve_model      (const char   *dir_or_repo_id,
                                         GError      **error);

/* Writes refs/@revision = @commit unless @revision is itself a commit or
 * the ref already says so (a read-only cache that is up to date works). */
gboolean    attn_hub_cache_write_ref    (const char   *repo_dir,
                                         const char   *revision,
                                         const char   *commit,
                                         GError      **error);

/* Makes snapshots/@commit/@filename point at blobs/@etag: a relative
 * symlink, or, where symlinks cannot be made, a copy of the blob. */
gboolean    attn_hub_cache_link         (const char   *repo_dir,
                                         const char   *commit,
                                         const char   *filename,
                                         const char   *etag,
                                         GError      **error);

/* Turns a GIO error from writing into the cache into ATTN_HUB_ERROR_DISK
 * with a message that says what to do (full disk, read-only cache). */
void        attn_hub_set_disk_error     (GError      **error,
                                         const GError *io_error,
                                         const char   *path);

/* The same for errno @saved; returns FALSE for `return attn_hub_set_errno_error (...)`. */
gboolean    attn_hub_set_errno_error    (GError      **error,
                                         int           saved,
                                         const char   *path);

G_END_DECLS

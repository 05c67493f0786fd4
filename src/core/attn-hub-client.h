/* attn-hub-client.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Talking to the Hugging Face Hub as huggingface_hub does, over libsoup 3
 * on the GLib main loop: the environment it reads (HF_ENDPOINT, HF_TOKEN,
 * HF_HUB_OFFLINE, HF_HUB_DOWNLOAD_TIMEOUT), the revision API, the HEAD
 * request that names a file's blob, and what each HTTP error means to a
 * person.  attn-hub-download.c drives it for a whole model.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define ATTN_HUB_DEFAULT_ENDPOINT "https://huggingface.co"

#define ATTN_TYPE_HUB_CLIENT (attn_hub_client_get_type ())
G_DECLARE_FINAL_TYPE (AttnHubClient, attn_hub_client, ATTN, HUB_CLIENT, GObject)

/* What the Hub says about one file at one commit. */
typedef struct
{
  char    *filename;
  char    *etag;      /* the blob's name: sha256 for LFS files, git sha1 otherwise */
  char    *commit;    /* X-Repo-Commit */
  guint64  size;      /* X-Linked-Size for LFS files, else Content-Length */
  gboolean lfs;       /* X-Linked-Etag was there: the etag is the content's sha256 */
} AttnHubFileInfo;

void              attn_hub_file_info_free        (AttnHubFileInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnHubFileInfo, attn_hub_file_info_free)

/* A client configured from the environment as huggingface_hub reads it. */
AttnHubClient    *attn_hub_client_new            (void);

const char       *attn_hub_client_get_endpoint   (AttnHubClient   *self);
const char       *attn_hub_client_get_cache_dir  (AttnHubClient   *self);
gboolean          attn_hub_client_get_offline    (AttnHubClient   *self);
SoupSession      *attn_hub_client_get_session    (AttnHubClient   *self);

/* A request to @url (absolute, or a path under the endpoint) with the
 * headers every request carries; the token only goes to the endpoint's
 * host, never to the CDN an LFS file redirects to. */
SoupMessage      *attn_hub_client_new_message    (AttnHubClient   *self,
                                                  const char      *method,
                                                  const char      *url);

/* FALSE with a sentence a person can act on when @message's status is not
 * a success: 401/403 (with or without HF_TOKEN), 404 for a repo, a
 * revision or a file, 5xx. */
gboolean          attn_hub_client_check_status   (AttnHubClient   *self,
                                                  SoupMessage     *message,
                                                  const char      *repo_id,
                                                  const char      *revision,
                                                  const char      *filename,
                                                  GError         **error);

/* Turns a libsoup/GIO error of a request into ATTN_HUB_ERROR_NETWORK
 * naming what failed (cancellation passes through unchanged). */
void              attn_hub_client_set_network_error (AttnHubClient *self,
                                                     GError       **error,
                                                     GError        *io_error,
                                                     const char    *what);

/* GET {endpoint}/api/models/{repo}/revision/{revision}: the commit and the
 * repo's file names. */
void              attn_hub_client_get_revision_async  (AttnHubClient       *self,
                                                       const char          *repo_id,
                                                       const char          *revision,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* The commit; *files gets the repo's file names. */
char             *attn_hub_client_get_revision_finish (AttnHubClient       *self,
                                                       GAsyncResult        *result,
                                                       GStrv               *files,
                                                       GError             **error);

/* HEAD {endpoint}/{repo}/resolve/{revision}/{filename}, following only
 * relative redirects (a renamed repo), not the one to the LFS store. */
void              attn_hub_client_head_async     (AttnHubClient       *self,
                                                  const char          *repo_id,
                                                  const char          *revision,
                                                  const char          *filename,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
AttnHubFileInfo  *attn_hub_client_head_finish    (AttnHubClient       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* {endpoint}/{repo}/resolve/{revision}/{filename}, escaped. */
char             *attn_hub_client_resolve_url    (AttnHubClient       *self,
                                                  const char          *repo_id,
                                                  const char          *revision,
                                                  const char          *filename);

G_END_DECLS

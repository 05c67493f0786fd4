/* attn-hub-client.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup does HTTP, TLS (through GIO), proxies and redirects; this file
 * only knows what the Hub's answers mean.
 */

#define G_LOG_DOMAIN "attn-hub"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-hub-cache.h"
#include "attn-hub-client.h"

/* huggingface_hub's default for HF_HUB_DOWNLOAD_TIMEOUT: seconds without
 * a byte before a request counts as stalled. */
#define DEFAULT_TIMEOUT 10

/* Relative redirects followed for one HEAD (a renamed repo). */
#define MAX_REDIRECTS 5

struct _AttnHubClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *endpoint;   /* no trailing slash */
  char        *host;       /* the endpoint's host: the only one that gets the token */
  char        *token;      /* NULL without HF_TOKEN */
  char        *cache_dir;
  gboolean     offline;
  guint        timeout;
};

G_DEFINE_FINAL_TYPE (AttnHubClient, attn_hub_client, G_TYPE_OBJECT)

void
attn_hub_file_info_free (AttnHubFileInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->filename);
  g_free (info->etag);
  g_free (info->commit);
  g_free (info);
}

static void
attn_hub_client_finalize (GObject *object)
{
  AttnHubClient *self = ATTN_HUB_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->cache_dir, g_free);

  G_OBJECT_CLASS (attn_hub_client_parent_class)->finalize (object);
}

static void
attn_hub_client_class_init (AttnHubClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = attn_hub_client_finalize;
}

static void
attn_hub_client_init (AttnHubClient *self)
{
}

/* huggingface_hub's truthy values for a boolean variable. */
static gboolean
env_true (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && (g_ascii_strcasecmp (value, "1") == 0 ||
                           g_ascii_strcasecmp (value, "true") == 0 ||
                           g_ascii_strcasecmp (value, "yes") == 0 ||
                           g_ascii_strcasecmp (value, "on") == 0);
}

AttnHubClient *
attn_hub_client_new (void)
{
  AttnHubClient *self = g_object_new (ATTN_TYPE_HUB_CLIENT, NULL);
  const char *endpoint = g_getenv ("HF_ENDPOINT");
  const char *token = g_getenv ("HF_TOKEN");
  const char *timeout = g_getenv ("HF_HUB_DOWNLOAD_TIMEOUT");
  g_autofree char *user_agent = g_strdup_printf ("attention/%s", PACKAGE_VERSION);
  g_autoptr(GUri) uri = NULL;

  if (endpoint == NULL || endpoint[0] == '\0')
    endpoint = ATTN_HUB_DEFAULT_ENDPOINT;
  self->endpoint = g_strdup (endpoint);
  while (g_str_has_suffix (self->endpoint, "/"))
    self->endpoint[strlen (self->endpoint) - 1] = '\0';
  uri = g_uri_parse (self->endpoint, G_URI_FLAGS_NONE, NULL);
  self->host = uri ? g_strdup (g_uri_get_host (uri)) : NULL;

  self->token = token != NULL && token[0] != '\0' ? g_strdup (token) : NULL;
  self->cache_dir = attn_hub_cache_dir ();
  self->offline = env_true ("HF_HUB_OFFLINE");
  self->timeout = DEFAULT_TIMEOUT;
  if (timeout != NULL && g_ascii_strtoull (timeout, NULL, 10) > 0)
    self->timeout = (guint) g_ascii_strtoull (timeout, NULL, 10);

  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "user-agent", user_agent,
                                                 NULL);
  return self;
}

const char *
attn_hub_client_get_endpoint (AttnHubClient *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_CLIENT (self), NULL);
  return self->endpoint;
}

const char *
attn_hub_client_get_cache_dir (AttnHubClient *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_CLIENT (self), NULL);
  return self->cache_dir;
}

gboolean
attn_hub_client_get_offline (AttnHubClient *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_CLIENT (self), FALSE);
  return self->offline;
}

SoupSession *
attn_hub_client_get_session (AttnHubClient *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_CLIENT (self), NULL);
  return self->session;
}

SoupMessage *
attn_hub_client_new_message (AttnHubClient *self,
                             const char    *method,
                             const char    *url)
{
  g_autofree char *absolute = NULL;
  SoupMessage *message;
  SoupMessageHeaders *headers;
  GUri *uri;

  absolute = url[0] == '/' ? g_strconcat (self->endpoint, url, NULL) : g_strdup (url);
  message = soup_message_new (method, absolute);
  if (message == NULL)
    return NULL;

  headers = soup_message_get_request_headers (message);
  /* The bytes as stored: their length and hash are what the Hub announced. */
  soup_message_headers_replace (headers, "Accept-Encoding", "identity");
  uri = soup_message_get_uri (message);
  if (self->token != NULL && g_strcmp0 (g_uri_get_host (uri), self->host) == 0)
    {
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", self->token);
      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  return message;
}

char *
attn_hub_client_resolve_url (AttnHubClient *self,
                             const char    *repo_id,
                             const char    *revision,
                             const char    *filename)
{
  g_autofree char *rev = g_uri_escape_string (revision, NULL, FALSE);
  g_autofree char *file = g_uri_escape_string (filename, "/", FALSE);

  return g_strdup_printf ("%s/%s/resolve/%s/%s", self->endpoint, repo_id, rev, file);
}

gboolean
attn_hub_client_check_status (AttnHubClient  *self,
                              SoupMessage    *message,
                              const char     *repo_id,
                              const char     *revision,
                              const char     *filename,
                              GError        **error)
{
  guint status = soup_message_get_status (message);
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *code = soup_message_headers_get_one (headers, "X-Error-Code");

  if (SOUP_STATUS_IS_SUCCESSFUL (status) || SOUP_STATUS_IS_REDIRECTION (status))
    return TRUE;

  if ((status == 401 || status == 403) && self->token == NULL)
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNAUTHORIZED,
                 _("%s is private, gated or does not exist (HTTP %u): check the name; for a gated model (such as Llama) accept its terms on its Hugging Face page and set HF_TOKEN to an access token"),
                 repo_id, status);
  else if (status == 401)
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNAUTHORIZED,
                 _("the Hub refused HF_TOKEN for %s (HTTP 401): the token is invalid or expired, or the repo does not exist"),
                 repo_id);
  else if (status == 403)
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNAUTHORIZED,
                 _("HF_TOKEN has no access to %s (HTTP 403): accept the model's terms on its Hugging Face page, or use a token with read access"),
                 repo_id);
  else if (status == 404 && g_strcmp0 (code, "RevisionNotFound") == 0)
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_FOUND,
                 _("%s has no revision “%s” (HTTP 404)"), repo_id, revision);
  else if (status == 404 && (g_strcmp0 (code, "EntryNotFound") == 0 || filename != NULL))
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_FOUND,
                 _("%s has no file %s at “%s” (HTTP 404)"), repo_id, filename, revision);
  else if (status == 404)
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_FOUND,
                 _("there is no model %s on %s (HTTP 404): check the repo id"),
                 repo_id, self->endpoint);
  else
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                 _("%s: the Hub answered HTTP %u %s%s%s"),
                 filename ? filename : repo_id, status,
                 soup_message_get_reason_phrase (message) ? soup_message_get_reason_phrase (message) : "",
                 code ? " / " : "", code ? code : "");
  return FALSE;
}

void
attn_hub_client_set_network_error (AttnHubClient  *self,
                                   GError        **error,
                                   GError         *io_error,
                                   const char     *what)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (io_error));
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NETWORK,
                 _("%s: the server stopped sending data (nothing for %u s; HF_HUB_DOWNLOAD_TIMEOUT sets how long to wait)"),
                 what, self->timeout);
  else if (io_error->domain == G_RESOLVER_ERROR ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NETWORK,
                 _("%s: cannot reach %s (%s); models already in the cache open without network"),
                 what, self->endpoint, io_error->message);
  else
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NETWORK,
                 _("%s: %s"), what, io_error->message);
}

/* ------------------------------------------------------------------------ */
/* The revision API                                                           */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char *repo_id;
  char *revision;
  GStrv files;
} RevisionData;

static void
revision_data_free (RevisionData *data)
{
  g_free (data->repo_id);
  g_free (data->revision);
  g_strfreev (data->files);
  g_free (data);
}

static void
revision_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AttnHubClient *self = g_task_get_source_object (task);
  RevisionData *data = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) files = g_strv_builder_new ();
  const char *commit = NULL;
  json_t *root, *siblings, *sibling;
  size_t index;
  char *commit_copy;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("asking %s for %s"), self->endpoint, data->repo_id);
      GError *network_error = NULL;

      attn_hub_client_set_network_error (self, &network_error, error, what);
      g_task_return_error (task, network_error);
      return;
    }
  if (!attn_hub_client_check_status (self, message, data->repo_id, data->revision, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  root = json_loadb (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 0, NULL);
  if (root != NULL)
    commit = json_string_value (json_object_get (root, "sha"));
  if (!attn_hub_is_commit (commit))
    {
      g_task_return_new_error (task, ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                               _("%s: the Hub's answer about revision “%s” has no commit (is %s a Hugging Face Hub?)"),
                               data->repo_id, data->revision, self->endpoint);
      json_decref (root);
      return;
    }

  siblings = json_object_get (root, "siblings");
  json_array_foreach (siblings, index, sibling)
    {
      const char *name = json_string_value (json_object_get (sibling, "rfilename"));
      if (name != NULL)
        g_strv_builder_add (files, name);
    }
  data->files = g_strv_builder_end (files);
  commit_copy = g_strdup (commit);
  json_decref (root);
  g_task_return_pointer (task, commit_copy, g_free);
}

void
attn_hub_client_get_revision_async (AttnHubClient       *self,
                                    const char          *repo_id,
                                    const char          *revision,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *rev = g_uri_escape_string (revision, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/models/%s/revision/%s", repo_id, rev);
  RevisionData *data = g_new0 (RevisionData, 1);

  data->repo_id = g_strdup (repo_id);
  data->revision = g_strdup (revision);
  g_task_set_task_data (task, data, (GDestroyNotify) revision_data_free);

  message = attn_hub_client_new_message (self, SOUP_METHOD_GET, path);
  if (message == NULL)
    {
      g_task_return_new_error (task, ATTN_HUB_ERROR, ATTN_HUB_ERROR_INVALID_ID,
                               _("HF_ENDPOINT “%s” is not a valid URL"), self->endpoint);
      return;
    }
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    revision_read_cb, g_steal_pointer (&task));
}

char *
attn_hub_client_get_revision_finish (AttnHubClient  *self,
                                     GAsyncResult   *result,
                                     GStrv          *files,
                                     GError        **error)
{
  char *commit = g_task_propagate_pointer (G_TASK (result), error);

  if (commit != NULL && files != NULL)
    {
      RevisionData *data = g_task_get_task_data (G_TASK (result));
      *files = g_steal_pointer (&data->files);
    }
  return commit;
}

/* ------------------------------------------------------------------------ */
/* HEAD: which blob a file is                                                 */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char  *repo_id;
  char  *revision;
  char  *filename;
  guint  redirects;
} HeadData;

static void
head_data_free (HeadData *data)
{
  g_free (data->repo_id);
  g_free (data->revision);
  g_free (data->filename);
  g_free (data);
}

/* ETag: "abc" or W/"abc" -> abc, as huggingface_hub normalises it. */
static char *
normalize_etag (const char *etag)
{
  GString *result;

  if (etag == NULL)
    return NULL;
  while (g_ascii_isspace (*etag))
    etag++;
  if (g_str_has_prefix (etag, "W/"))
    etag += 2;
  result = g_string_new (NULL);
  for (; *etag != '\0'; etag++)
    if (*etag != '"' && !g_ascii_isspace (*etag))
      g_string_append_c (result, *etag);
  return g_string_free (result, FALSE);
}

static void head_send (GTask *task, const char *url);

static void
head_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AttnHubClient *self = g_task_get_source_object (task);
  HeadData *data = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnHubFileInfo) info = NULL;
  const char *linked_etag, *linked_size, *location;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      GError *network_error = NULL;

      attn_hub_client_set_network_error (self, &network_error, error, data->filename);
      g_task_return_error (task, network_error);
      return;
    }
  if (!attn_hub_client_check_status (self, message, data->repo_id, data->revision,
                                     data->filename, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  linked_etag = soup_message_headers_get_one (headers, "X-Linked-Etag");
  linked_size = soup_message_headers_get_one (headers, "X-Linked-Size");
  location = soup_message_headers_get_one (headers, "Location");

  /* A relative redirect without LFS headers is a renamed repo: follow it.
   * The absolute one of an LFS file goes to the store: not for HEAD. */
  if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (message)) && linked_etag == NULL &&
      location != NULL && location[0] == '/' && data->redirects++ < MAX_REDIRECTS)
    {
      head_send (g_steal_pointer (&task), location);
      return;
    }

  info = g_new0 (AttnHubFileInfo, 1);
  info->filename = g_strdup (data->filename);
  info->lfs = linked_etag != NULL;
  info->etag = normalize_etag (linked_etag ? linked_etag
                                           : soup_message_headers_get_one (headers, "ETag"));
  info->commit = g_strdup (soup_message_headers_get_one (headers, "X-Repo-Commit"));
  info->size = linked_size ? g_ascii_strtoull (linked_size, NULL, 10)
                           : (guint64) soup_message_headers_get_content_length (headers);

  /* The etag names the blob file: it must be a plain hash, never a path. */
  if (info->etag == NULL || info->etag[0] == '\0' || strchr (info->etag, '/') != NULL ||
      strchr (info->etag, '.') != NULL || !attn_hub_is_commit (info->commit))
    {
      g_task_return_new_error (task, ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                               _("%s: the server sent no usable ETag or X-Repo-Commit (is %s a Hugging Face Hub?)"),
                               data->filename, self->endpoint);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) attn_hub_file_info_free);
}

static void
head_send (GTask      *task,
           const char *url)
{
  AttnHubClient *self = g_task_get_source_object (task);
  g_autoptr(SoupMessage) message = attn_hub_client_new_message (self, SOUP_METHOD_HEAD, url);

  if (message == NULL)
    {
      g_task_return_new_error (task, ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                               _("“%s” is not a valid URL"), url);
      g_object_unref (task);
      return;
    }
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), head_read_cb, task);
}

void
attn_hub_client_head_async (AttnHubClient       *self,
                            const char          *repo_id,
                            const char          *revision,
                            const char          *filename,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = attn_hub_client_resolve_url (self, repo_id, revision, filename);
  HeadData *data = g_new0 (HeadData, 1);

  data->repo_id = g_strdup (repo_id);
  data->revision = g_strdup (revision);
  data->filename = g_strdup (filename);
  g_task_set_task_data (task, data, (GDestroyNotify) head_data_free);
  head_send (task, url);
}

AttnHubFileInfo *
attn_hub_client_head_finish (AttnHubClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

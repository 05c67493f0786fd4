/* fake-hub.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fake-hub.h"

#define FAKE_COMMIT "0123456789abcdef0123456789abcdef01234567"

char *
fake_hub_sha256 (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

char *
fake_hub_git_sha1 (GBytes *bytes)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *header = g_strdup_printf ("blob %zu", g_bytes_get_size (bytes));

  g_checksum_update (checksum, (const guchar *) header, strlen (header) + 1);
  g_checksum_update (checksum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return g_strdup (g_checksum_get_string (checksum));
}

static void
log_request (FakeHub           *hub,
             SoupServerMessage *msg,
             const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (headers, "Range");
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  GString *entry = g_string_new (NULL);

  g_string_printf (entry, "%s %s", soup_server_message_get_method (msg), path);
  if (range != NULL)
    g_string_append_printf (entry, " range=%s", range);
  if (auth != NULL)
    g_string_append_printf (entry, " auth=%s", auth);
  g_ptr_array_add (hub->log, g_string_free (entry, FALSE));
}

static void
set_error (SoupServerMessage *msg,
           guint              status,
           const char        *code)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Error-Code", code);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, code, strlen (code));
}

/* FALSE after answering 401/403 as the Hub does for a gated repo. */
static gboolean
check_auth (FakeHub           *hub,
            SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree char *expected = NULL;

  if (hub->token == NULL)
    return TRUE;
  expected = g_strdup_printf ("Bearer %s", hub->token);
  if (auth == NULL)
    set_error (msg, 401, "GatedRepo");
  else if (g_strcmp0 (auth, expected) != 0)
    set_error (msg, 403, "GatedRepo");
  return g_strcmp0 (auth, expected) == 0;
}

/* The repo's files, or NULL after answering 401/403/404 as the Hub does. */
static GHashTable *
lookup_repo (FakeHub           *hub,
             SoupServerMessage *msg,
             const char        *repo_id,
             const char        *revision)
{
  GHashTable *files;

  if (!check_auth (hub, msg))
    return NULL;
  if (repo_id == NULL || (files = g_hash_table_lookup (hub->repos, repo_id)) == NULL)
    {
      set_error (msg, 404, "RepoNotFound");
      return NULL;
    }
  if (g_strcmp0 (revision, "main") != 0 && g_strcmp0 (revision, hub->commit) != 0)
    {
      set_error (msg, 404, "RevisionNotFound");
      return NULL;
    }
  return files;
}

static void
serve_revision (FakeHub           *hub,
                SoupServerMessage *msg,
                const char        *rest)
{
  const char *sep = strstr (rest, "/revision/");
  g_autofree char *repo_id = sep ? g_strndup (rest, sep - rest) : NULL;
  const char *revision = sep ? sep + strlen ("/revision/") : NULL;
  GHashTable *files;
  GHashTableIter iter;
  gpointer name;
  GString *json;

  if ((files = lookup_repo (hub, msg, repo_id, revision)) == NULL)
    return;

  json = g_string_new (NULL);
  g_string_printf (json, "{\"id\": \"%s\", \"sha\": \"%s\", \"siblings\": [", repo_id, hub->commit);
  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_string_append_printf (json, "{\"rfilename\": \"%s\"},", (const char *) name);
  if (json->str[json->len - 1] == ',')
    g_string_truncate (json, json->len - 1);
  g_string_append (json, "]}");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    json->str, json->len);
  g_string_free (json, FALSE);
}

static void
serve_resolve (FakeHub           *hub,
               SoupServerMessage *msg,
               const char        *rest)
{
  const char *sep = strstr (rest, "/resolve/");
  g_autofree char *repo_id = sep ? g_strndup (rest, sep - rest) : NULL;
  const char *after = sep ? sep + strlen ("/resolve/") : "";
  const char *slash = strchr (after, '/');
  g_autofree char *revision = slash ? g_strndup (after, slash - after) : NULL;
  g_autofree char *name = slash ? g_uri_unescape_string (slash + 1, NULL) : NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GHashTable *files;
  GBytes *bytes;

  if ((files = lookup_repo (hub, msg, repo_id, revision)) == NULL)
    return;
  if (name == NULL || (bytes = g_hash_table_lookup (files, name)) == NULL)
    {
      set_error (msg, 404, "EntryNotFound");
      return;
    }

  soup_message_headers_replace (headers, "X-Repo-Commit", hub->commit);
  if (g_hash_table_contains (hub->lfs, name))
    {
      g_autofree char *sha = fake_hub_sha256 (bytes);
      g_autofree char *linked = g_strdup_printf ("\"%s\"", sha);
      g_autofree char *size = g_strdup_printf ("%zu", g_bytes_get_size (bytes));
      g_autofree char *location = g_strdup_printf ("%s/lfs/%s", hub->url, sha);

      /* The ETag of an LFS file is its pointer's: not the blob's name. */
      soup_message_headers_replace (headers, "ETag", "\"0000000000000000000000000000000000000000\"");
      soup_message_headers_replace (headers, "X-Linked-Etag", linked);
      soup_message_headers_replace (headers, "X-Linked-Size", size);
      soup_message_headers_replace (headers, "Location", location);
      soup_server_message_set_status (msg, 302, NULL);
      return;
    }
  else
    {
      g_autofree char *sha1 = fake_hub_git_sha1 (bytes);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", sha1);

      soup_message_headers_replace (headers, "ETag", etag);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
}

static GBytes *
find_lfs (FakeHub    *hub,
          const char *sha)
{
  GHashTableIter repos;
  gpointer files;

  g_hash_table_iter_init (&repos, hub->repos);
  while (g_hash_table_iter_next (&repos, NULL, &files))
    {
      GHashTableIter iter;
      gpointer name, bytes;

      g_hash_table_iter_init (&iter, files);
      while (g_hash_table_iter_next (&iter, &name, &bytes))
        {
          g_autofree char *digest = fake_hub_sha256 (bytes);
          if (g_hash_table_contains (hub->lfs, name) && g_strcmp0 (digest, sha) == 0)
            return bytes;
        }
    }
  return NULL;
}

typedef struct
{
  SoupServerMessage *msg;
  GBytes            *body;
  gsize              sent;
} Trickle;

static void
trickle_free (Trickle *trickle)
{
  g_object_unref (trickle->msg);
  g_bytes_unref (trickle->body);
  g_free (trickle);
}

/* One slice of a throttled body; a slow connection, seen from the client. */
static gboolean
trickle_cb (gpointer user_data)
{
  Trickle *trickle = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (trickle->msg);
  gsize size = g_bytes_get_size (trickle->body);
  gsize n = MIN (4096, size - trickle->sent);

  soup_message_body_append (body, SOUP_MEMORY_COPY,
                            (const guchar *) g_bytes_get_data (trickle->body, NULL) + trickle->sent, n);
  trickle->sent += n;
  if (trickle->sent == size)
    soup_message_body_complete (body);
  soup_server_message_unpause (trickle->msg);
  return trickle->sent < size ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The store behind the 302: Range, and the faults. */
static void
serve_lfs (FakeHub           *hub,
           SoupServerMessage *msg,
           const char        *sha)
{
  GBytes *bytes = find_lfs (hub, sha);
  const char *range = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Range");
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize size, start = 0;
  g_autofree guchar *body = NULL;

  if (bytes == NULL)
    {
      set_error (msg, 404, "EntryNotFound");
      return;
    }
  if (hub->stall)
    {
      g_ptr_array_add (hub->stalled, g_object_ref (msg));
      soup_server_message_pause (msg);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (range != NULL && g_str_has_prefix (range, "bytes="))
    start = g_ascii_strtoull (range + strlen ("bytes="), NULL, 10);
  if (start >= size)
    {
      soup_server_message_set_status (msg, 416, NULL);
      return;
    }

  body = g_memdup2 ((const guchar *) g_bytes_get_data (bytes, NULL) + start, size - start);
  if (hub->corrupt)
    body[(size - start) / 2] ^= 0x5a;

  if (hub->drop_times > 0 && hub->drop_after < size - start)
    {
      /* Headers that promise everything, part of the body, then the
       * connection goes away, as a dropped transfer does. */
      GIOStream *io = soup_server_message_steal_connection (msg);
      GOutputStream *out = g_io_stream_get_output_stream (io);
      g_autofree char *head = NULL;
      g_autofree char *content_range = NULL;

      hub->drop_times--;
      if (start > 0)
        content_range = g_strdup_printf ("Content-Range: bytes %zu-%zu/%zu\r\n",
                                         start, size - 1, size);
      head = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Length: %zu\r\n%s"
                              "Content-Type: application/octet-stream\r\n\r\n",
                              start > 0 ? "206 Partial Content" : "200 OK", size - start,
                              content_range ? content_range : "");
      g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (out, body, hub->drop_after, NULL, NULL, NULL);
      g_io_stream_close (io, NULL, NULL);
      g_object_unref (io);
      return;
    }

  if (start > 0)
    {
      soup_server_message_set_status (msg, 206, NULL);
      soup_message_headers_set_content_range (headers, start, size - 1, size);
    }
  else
    soup_server_message_set_status (msg, 200, NULL);

  if (hub->throttle_ms > 0)
    {
      Trickle *trickle = g_new0 (Trickle, 1);

      trickle->msg = g_object_ref (msg);
      trickle->body = g_bytes_new_take (g_steal_pointer (&body), size - start);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_server_message_pause (msg);
      g_timeout_add_full (G_PRIORITY_DEFAULT, hub->throttle_ms, trickle_cb, trickle,
                          (GDestroyNotify) trickle_free);
      return;
    }
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE,
                                    (const char *) g_steal_pointer (&body), size - start);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  FakeHub *hub = user_data;

  log_request (hub, msg, path);

  if (g_str_has_prefix (path, "/api/models/"))
    serve_revision (hub, msg, path + strlen ("/api/models/"));
  else if (g_str_has_prefix (path, "/lfs/"))
    serve_lfs (hub, msg, path + strlen ("/lfs/"));
  else if (strstr (path, "/resolve/") != NULL)
    serve_resolve (hub, msg, path + 1);
  else
    set_error (msg, 404, "NotFound");
}

FakeHub *
fake_hub_new (void)
{
  FakeHub *hub = g_new0 (FakeHub, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  hub->commit = g_strdup (FAKE_COMMIT);
  hub->repos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_hash_table_unref);
  hub->lfs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (hub->lfs, g_strdup ("model.safetensors"));
  g_hash_table_add (hub->lfs, g_strdup ("pytorch_model.bin"));
  g_hash_table_add (hub->lfs, g_strdup ("onnx/model.onnx"));
  hub->log = g_ptr_array_new_with_free_func (g_free);
  hub->stalled = g_ptr_array_new_with_free_func (g_object_unref);

  hub->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (hub->server, NULL, handler, hub, NULL);
  if (!soup_server_listen_local (hub->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("fake hub: %s", error->message);
  uris = soup_server_get_uris (hub->server);
  hub->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return hub;
}

void
fake_hub_set_file (FakeHub    *hub,
                   const char *repo_id,
                   const char *name,
                   GBytes     *contents)
{
  GHashTable *files = g_hash_table_lookup (hub->repos, repo_id);

  if (files == NULL)
    {
      files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
      g_hash_table_insert (hub->repos, g_strdup (repo_id), files);
    }
  if (contents == NULL)
    g_hash_table_remove (files, name);
  else
    g_hash_table_insert (files, g_strdup (name), g_bytes_ref (contents));
}

void
fake_hub_add_repo (FakeHub    *hub,
                   const char *repo_id,
                   const char *model_dir)
{
  static const char *const names[] = { "config.json", "vocab.json", "merges.txt", "model.safetensors" };
  g_autoptr(GBytes) pickle = g_bytes_new_static ("not a pickle", 12);
  g_autoptr(GBytes) onnx = g_bytes_new_static ("not onnx", 8);
  g_autoptr(GBytes) readme = g_bytes_new_static ("# a model\n", 10);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (model_dir, names[i], NULL);
      g_autofree char *data = NULL;
      gsize len;

      if (!g_file_get_contents (path, &data, &len, NULL))
        g_error ("fake hub: cannot read %s", path);
      {
        g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), len);
        fake_hub_set_file (hub, repo_id, names[i], bytes);
      }
    }
  fake_hub_set_file (hub, repo_id, "pytorch_model.bin", pickle);
  fake_hub_set_file (hub, repo_id, "onnx/model.onnx", onnx);
  fake_hub_set_file (hub, repo_id, "README.md", readme);
}

void
fake_hub_free (FakeHub *hub)
{
  for (guint i = 0; i < hub->stalled->len; i++)
    soup_server_message_unpause (g_ptr_array_index (hub->stalled, i));
  soup_server_disconnect (hub->server);
  g_object_unref (hub->server);

  g_ptr_array_unref (hub->stalled);
  g_ptr_array_unref (hub->log);
  g_hash_table_unref (hub->repos);
  g_hash_table_unref (hub->lfs);
  g_free (hub->url);
  g_free (hub->commit);
  g_free (hub->token);
  g_free (hub);
}

guint
fake_hub_count (FakeHub    *hub,
                const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < hub->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (hub->log, i), prefix))
      n++;
  return n;
}

const char *
fake_hub_find (FakeHub    *hub,
               const char *prefix,
               const char *part)
{
  for (guint i = 0; i < hub->log->len; i++)
    {
      const char *entry = g_ptr_array_index (hub->log, i);
      if (g_str_has_prefix (entry, prefix) && strstr (entry, part) != NULL)
        return entry;
    }
  return NULL;
}

/* test-hub.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Hugging Face cache and the download client against a fake Hub on
 * 127.0.0.1 (tests/fake-hub.c): the cache layout byte for byte, resuming
 * with Range, verification, locks, offline resolution, and every fault
 * the issue lists.  No request leaves the machine.
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <jansson.h>

#include "attn-engine.h"
#include "attn-hub-cache.h"
#include "attn-hub-download.h"
#include "attn-hub-models.h"
#include "fake-hub.h"

#define REPO "test-org/tiny-gpt2"
#define REPO_DIR_NAME "models--test-org--tiny-gpt2"

typedef struct
{
  FakeHub *hub;
  char    *cache;     /* a fresh HF_HUB_CACHE */
  char    *home;      /* the temporary folder holding it */
  GBytes  *weights;   /* the fixture's model.safetensors */
} Fixture;

static char *
fixture_model_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
}

static GBytes *
read_bytes (const char *path)
{
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *model_dir = fixture_model_dir ();
  g_autofree char *weights = g_build_filename (model_dir, "model.safetensors", NULL);

  f->hub = fake_hub_new ();
  fake_hub_add_repo (f->hub, REPO, model_dir);
  f->home = g_dir_make_tmp ("attn-hub-XXXXXX", NULL);
  f->cache = g_build_filename (f->home, "hub", NULL);
  f->weights = read_bytes (weights);

  g_setenv ("HF_HUB_CACHE", f->cache, TRUE);
  g_setenv ("HF_ENDPOINT", f->hub->url, TRUE);
  g_setenv ("HF_HUB_DOWNLOAD_TIMEOUT", "1", TRUE);
  g_unsetenv ("HF_TOKEN");
  g_unsetenv ("HF_HUB_OFFLINE");
  /* 127.0.0.1 directly, whatever proxy the machine has. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (!S_ISDIR (st.st_mode))
    {
      g_unlink (path);
      return;
    }
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fake_hub_free (f->hub);
  remove_tree (f->home);
  g_free (f->home);
  g_free (f->cache);
  g_bytes_unref (f->weights);
}

typedef struct
{
  gboolean  done;
  char     *snapshot;
  GError   *error;
} Outcome;

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->snapshot = attn_hub_download_run_finish (ATTN_HUB_DOWNLOAD (source), result,
                                                    &outcome->error);
  outcome->done = TRUE;
}

/* Downloads @repo_id with a client made from the environment now; returns
 * the snapshot, or NULL with @error set. */
static char *
download (const char       *repo_id,
          AttnHubDownload **out,
          GError          **error)
{
  g_autoptr(AttnHubClient) client = attn_hub_client_new ();
  g_autoptr(AttnHubDownload) download = attn_hub_download_new (client, repo_id, NULL);
  Outcome outcome = { 0 };

  attn_hub_download_run_async (download, NULL, downloaded_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);

  if (out != NULL)
    *out = g_object_ref (download);
  if (outcome.error != NULL)
    g_propagate_error (error, outcome.error);
  return outcome.snapshot;
}

static char *
cache_path (Fixture    *f,
            const char *relative)
{
  return g_build_filename (f->cache, REPO_DIR_NAME, relative, NULL);
}

/* blobs/SHA256 of the weights, with @suffix (".incomplete" or ""). */
static char *
weights_blob (Fixture    *f,
              const char *suffix)
{
  g_autofree char *sha = fake_hub_sha256 (f->weights);
  g_autofree char *rel = g_strdup_printf ("blobs/%s%s", sha, suffix);

  return cache_path (f, rel);
}

static char *
blob_name (Fixture    *f,
           const char *file)
{
  g_autofree char *model_dir = fixture_model_dir ();
  g_autofree char *path = g_build_filename (model_dir, file, NULL);
  g_autoptr(GBytes) bytes = read_bytes (path);

  return g_str_equal (file, "model.safetensors") ? fake_hub_sha256 (bytes) : fake_hub_git_sha1 (bytes);
}

/* ------------------------------------------------------------------------ */

static void
test_cache_dir_order (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  g_setenv ("HOME", "/home/someone", TRUE);
  g_setenv ("HF_HUB_CACHE", "/x/hub-cache", TRUE);
  g_setenv ("HF_HOME", "/x/hf-home", TRUE);
  g_setenv ("XDG_CACHE_HOME", "/x/xdg", TRUE);
  a = attn_hub_cache_dir ();
  g_unsetenv ("HF_HUB_CACHE");
  b = attn_hub_cache_dir ();
  g_unsetenv ("HF_HOME");
  c = attn_hub_cache_dir ();
  g_unsetenv ("XDG_CACHE_HOME");
  d = attn_hub_cache_dir ();

  g_assert_cmpstr (a, ==, "/x/hub-cache");
  g_assert_cmpstr (b, ==, "/x/hf-home/hub");
  g_assert_cmpstr (c, ==, "/x/xdg/huggingface/hub");
  g_assert_true (g_str_has_suffix (d, "/.cache/huggingface/hub"));
}

static void
test_repo_ids (void)
{
  g_autofree char *dir = NULL;

  g_assert_true (attn_hub_is_repo_id ("openai-community/gpt2"));
  g_assert_true (attn_hub_is_repo_id ("gpt2"));
  g_assert_true (attn_hub_is_repo_id ("EleutherAI/pythia-70m"));
  g_assert_false (attn_hub_is_repo_id ("a/b/c"));
  g_assert_false (attn_hub_is_repo_id ("../etc"));
  g_assert_false (attn_hub_is_repo_id ("org/na--me"));
  g_assert_false (attn_hub_is_repo_id ("/abs/path"));
  g_assert_false (attn_hub_is_repo_id (""));

  dir = attn_hub_repo_dir ("/c", "openai-community/gpt2");
  g_assert_cmpstr (dir, ==, "/c/models--openai-community--gpt2");
  g_clear_pointer (&dir, g_free);
  dir = attn_hub_repo_id_from_path ("/c/models--openai-community--gpt2/snapshots/"
                                    "0123456789abcdef0123456789abcdef01234567");
  g_assert_cmpstr (dir, ==, "openai-community/gpt2");
  g_clear_pointer (&dir, g_free);
  g_assert_null (attn_hub_repo_id_from_path ("/models/gpt2"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The layout huggingface_hub writes, byte for byte, and only the files
 * the engine reads. */
static void
test_download_layout (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = download (REPO, NULL, &error);
  g_autofree char *ref = cache_path (f, "refs/main");
  g_autofree char *ref_text = NULL;
  g_autofree char *expected_snapshot = NULL;
  g_autofree char *model_dir = fixture_model_dir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AttnEngine) engine = NULL;
  const char *name;
  const char *files[] = { "config.json", "merges.txt", "model.safetensors", "vocab.json" };

  g_assert_no_error (error);
  expected_snapshot = cache_path (f, "snapshots/" "0123456789abcdef0123456789abcdef01234567");
  g_assert_cmpstr (snapshot, ==, expected_snapshot);

  /* refs/main: the commit, no newline. */
  g_assert_true (g_file_get_contents (ref, &ref_text, NULL, NULL));
  g_assert_cmpstr (ref_text, ==, f->hub->commit);

  /* Exactly these files: no pickle, no ONNX, no README. */
  dir = g_dir_open (snapshot, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (files));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *pointer = g_build_filename (snapshot, files[i], NULL);
      g_autofree char *target = g_file_read_link (pointer, NULL);
      g_autofree char *etag = blob_name (f, files[i]);
      g_autofree char *expected_target = g_strdup_printf ("../../blobs/%s", etag);
      g_autofree char *blob_rel = g_strdup_printf ("blobs/%s", etag);
      g_autofree char *blob = cache_path (f, blob_rel);
      g_autofree char *original = g_build_filename (model_dir, files[i], NULL);
      g_autoptr(GBytes) got = read_bytes (blob);
      g_autoptr(GBytes) want = read_bytes (original);

      g_assert_cmpstr (g_ptr_array_index (names, i), ==, files[i]);
      g_assert_cmpstr (target, ==, expected_target);
      g_assert_true (g_bytes_equal (got, want));
    }
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /api/models/" REPO "/revision/main"), ==, 1);
  g_assert_cmpuint (fake_hub_count (f->hub, "HEAD /" REPO "/resolve/"), ==, 4);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 1);
  g_assert_null (fake_hub_find (f->hub, "", "pytorch_model.bin"));
  g_assert_null (fake_hub_find (f->hub, "", "onnx"));
  /* The GET of the weights went to /resolve/ first and followed the 302. */
  g_assert_nonnull (fake_hub_find (f->hub, "GET /" REPO "/resolve/", "model.safetensors"));

  /* Nothing half-written is left, and the lock file is where
   * huggingface_hub keeps it. */
  {
    g_autofree char *sha = fake_hub_sha256 (f->weights);
    g_autofree char *incomplete_rel = g_strdup_printf ("blobs/%s.incomplete", sha);
    g_autofree char *incomplete = cache_path (f, incomplete_rel);
    g_autofree char *lock_name = g_strdup_printf ("%s.lock", sha);
    g_autofree char *lock = g_build_filename (f->cache, ".locks", REPO_DIR_NAME, lock_name, NULL);

    g_assert_false (g_file_test (incomplete, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (lock, G_FILE_TEST_EXISTS));
  }

  /* The engine opens it, under the repo id's name. */
  engine = attn_engine_new (snapshot, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attn_engine_get_name (engine), ==, REPO);
}

/* Offline: the repo id resolves to refs/main's snapshot without a request;
 * a second download with HF_HUB_OFFLINE=1 makes none either. */
static void
test_offline_resolution (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = download (REPO, NULL, &error);
  g_autofree char *resolved = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;
  g_autofree char *folder = NULL;
  guint requests;

  g_assert_no_error (error);
  requests = f->hub->log->len;

  resolved = attn_hub_resolve_model (REPO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, snapshot);

  g_setenv ("HF_HUB_OFFLINE", "1", TRUE);
  again = download (REPO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, snapshot);

  other = download ("test-org/not-cached", NULL, &error);
  g_assert_null (other);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, "HF_HUB_OFFLINE"));
  g_assert_cmpuint (f->hub->log->len, ==, requests);
  g_clear_error (&error);

  /* Not cached: the message says what to run. */
  g_assert_null (attn_hub_resolve_model ("test-org/not-cached", &error));
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED);
  g_assert_nonnull (strstr (error->message, "attention-cli download test-org/not-cached"));
  g_clear_error (&error);

  /* A folder is a folder, whatever it looks like. */
  folder = attn_hub_resolve_model (f->home, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (folder, ==, f->home);
}

/* Cut off after 50000 bytes: the same run resumes with Range. */
static void
test_resume_after_drop (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnHubDownload) dl = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *blob = NULL;
  g_autoptr(GBytes) got = NULL;

  f->hub->drop_after = 50000;
  f->hub->drop_times = 1;
  snapshot = download (REPO, &dl, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 2);
  g_assert_nonnull (fake_hub_find (f->hub, "GET /lfs/", "range=bytes=50000-"));
  g_assert_cmpuint (attn_hub_download_get_n_resumes (dl), ==, 1);
  g_assert_cmpuint (attn_hub_download_get_received (dl), ==, attn_hub_download_get_size (dl));

  blob = g_build_filename (snapshot, "model.safetensors", NULL);
  got = read_bytes (blob);
  g_assert_true (g_bytes_equal (got, f->weights));
}

/* An earlier run (a restart of the app) left blobs/SHA.incomplete: the
 * next one asks only for the rest, and checks the whole file. */
static void
test_resume_after_restart (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *incomplete = weights_blob (f, ".incomplete");
  g_autofree char *blobs = g_path_get_dirname (incomplete);
  g_autofree char *snapshot = NULL;
  g_autofree char *blob = NULL;
  g_autoptr(GBytes) got = NULL;

  g_assert_cmpint (g_mkdir_with_parents (blobs, 0755), ==, 0);
  g_assert_true (g_file_set_contents (incomplete, g_bytes_get_data (f->weights, NULL), 40000, NULL));

  snapshot = download (REPO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 1);
  g_assert_nonnull (fake_hub_find (f->hub, "GET /lfs/", "range=bytes=40000-"));

  blob = g_build_filename (snapshot, "model.safetensors", NULL);
  got = read_bytes (blob);
  g_assert_true (g_bytes_equal (got, f->weights));
  g_assert_false (g_file_test (incomplete, G_FILE_TEST_EXISTS));
}

/* A connection that keeps dropping: an error after the resumes, with the
 * bytes kept for next time and no snapshot entry, no ref. */
static void
test_drop_gives_up (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *incomplete = weights_blob (f, ".incomplete");
  g_autofree char *pointer = cache_path (f, "snapshots/0123456789abcdef0123456789abcdef01234567/model.safetensors");
  g_autofree char *ref = cache_path (f, "refs/main");
  g_autofree char *snapshot = NULL;
  GStatBuf st;

  f->hub->drop_after = 10000;
  f->hub->drop_times = 100;
  snapshot = download (REPO, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "model.safetensors"));
  g_assert_nonnull (strstr (error->message, "resumes"));

  /* Four transfers of 10000 bytes each, every one but the first a Range. */
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 4);
  g_assert_nonnull (fake_hub_find (f->hub, "GET /lfs/", "range=bytes=30000-"));
  g_assert_cmpint (g_stat (incomplete, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 40000);
  g_assert_false (g_file_test (pointer, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (ref, G_FILE_TEST_EXISTS));
}

/* Wrong bytes never become a blob. */
static void
test_checksum_mismatch (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = fake_hub_sha256 (f->weights);
  g_autofree char *blob = weights_blob (f, "");
  g_autofree char *incomplete = weights_blob (f, ".incomplete");
  g_autofree char *snapshot = NULL;

  f->hub->corrupt = TRUE;
  snapshot = download (REPO, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_CHECKSUM);
  g_assert_nonnull (strstr (error->message, "sha256"));
  g_assert_nonnull (strstr (error->message, sha));
  g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (incomplete, G_FILE_TEST_EXISTS));
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnHubClient) client = NULL;
  g_autoptr(AttnHubDownload) dl = NULL;
  g_autofree char *snapshot = download ("test-org/no-such-model", NULL, &error);
  Outcome outcome = { 0 };

  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "test-org/no-such-model"));
  g_assert_nonnull (strstr (error->message, "404"));

  client = attn_hub_client_new ();
  dl = attn_hub_download_new (client, REPO, "no-such-branch");
  attn_hub_download_run_async (dl, NULL, downloaded_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (outcome.error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (outcome.error->message, "no-such-branch"));
  g_clear_error (&outcome.error);
}

/* A gated repo: 401 without a token, 403 with the wrong one, and with
 * the right one it is sent as a Bearer token (to the Hub only). */
static void
test_gated (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;
  const char *entry;

  f->hub->token = g_strdup ("hf_right");

  snapshot = download (REPO, NULL, &error);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "HF_TOKEN"));
  g_assert_nonnull (strstr (error->message, "401"));
  g_clear_error (&error);

  g_setenv ("HF_TOKEN", "hf_wrong", TRUE);
  snapshot = download (REPO, NULL, &error);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "403"));
  g_assert_nonnull (strstr (error->message, "no access"));
  g_clear_error (&error);

  g_setenv ("HF_TOKEN", "hf_right", TRUE);
  snapshot = download (REPO, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  entry = fake_hub_find (f->hub, "HEAD /" REPO, "auth=Bearer hf_right");
  g_assert_nonnull (entry);
}

/* A server that stops answering: a timeout, not a hang. */
static void
test_stall (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;
  gint64 start = g_get_monotonic_time ();

  f->hub->stall = TRUE;
  snapshot = download (REPO, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "stopped sending"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
}

/* A write that fails for lack of space (blobs/SHA.incomplete is a link to
 * /dev/full, which refuses every write with ENOSPC). */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *incomplete = weights_blob (f, ".incomplete");
  g_autofree char *blobs = g_path_get_dirname (incomplete);
  g_autofree char *snapshot = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (blobs, 0755), ==, 0);
  g_assert_cmpint (symlink ("/dev/full", incomplete), ==, 0);

  snapshot = download (REPO, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_DISK);
  g_assert_nonnull (strstr (error->message, "disk is full"));
}

/* A cache nobody may write (even root cannot create folders in /sys). */
static void
test_read_only_cache (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;

  if (g_mkdir ("/sys/attention-hub-test", 0755) == 0 || errno != EPERM)
    {
      g_rmdir ("/sys/attention-hub-test");
      g_test_skip ("/sys is writable here");
      return;
    }
  g_setenv ("HF_HUB_CACHE", "/sys/attention-hub-test", TRUE);
  snapshot = download (REPO, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_DISK);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, "HF_HUB_CACHE"));
}

/* A blob deleted behind our back: resolution and the model list say so;
 * downloading again fetches only that file. */
static void
test_deleted_blob (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = download (REPO, NULL, &error);
  g_autofree char *blob = weights_blob (f, "");
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *again = NULL;
  AttnHubModel *model;

  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (blob), ==, 0);

  g_assert_null (attn_hub_resolve_model (REPO, &error));
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED);
  g_assert_nonnull (strstr (error->message, "model.safetensors"));
  g_assert_nonnull (strstr (error->message, "deleted"));
  g_clear_error (&error);

  models = attn_hub_list_models (f->cache);
  g_assert_cmpuint (models->len, ==, 1);
  model = g_ptr_array_index (models, 0);
  g_assert_false (model->supported);
  g_assert_nonnull (strstr (model->why_not, "deleted"));

  again = download (REPO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 2);
  g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));
}

/* A cache written where symlinks do not exist: snapshots hold copies. */
static void
test_symlinkless_cache (Fixture       *f,
                        gconstpointer  data)
{
  static const char *const files[] = { "config.json", "vocab.json", "merges.txt", "model.safetensors" };
  g_autofree char *model_dir = fixture_model_dir ();
  g_autofree char *snapshot = cache_path (f, "snapshots/0123456789abcdef0123456789abcdef01234567");
  g_autofree char *refs = cache_path (f, "refs");
  g_autofree char *ref = cache_path (f, "refs/main");
  g_autofree char *resolved = NULL;
  g_autofree char *downloaded = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (snapshot, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (refs, 0755), ==, 0);
  g_assert_true (g_file_set_contents (ref, f->hub->commit, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (model_dir, files[i], NULL);
      g_autofree char *to = g_build_filename (snapshot, files[i], NULL);
      g_autoptr(GBytes) bytes = read_bytes (from);

      g_assert_true (g_file_set_contents (to, g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), NULL));
    }

  resolved = attn_hub_resolve_model (REPO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, snapshot);

  models = attn_hub_list_models (f->cache);
  g_assert_cmpuint (models->len, ==, 1);
  g_assert_true (((AttnHubModel *) g_ptr_array_index (models, 0))->supported);

  /* Nothing to fetch: the copies are the files. */
  downloaded = download (REPO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 0);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /" REPO "/resolve/"), ==, 0);
}

/* A repo whose config names an architecture the engine does not run:
 * what came is kept, the weights are not fetched, the message says why. */
static void
test_unsupported_architecture (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const char mamba[] = "{\"model_type\": \"mamba\", \"architectures\": [\"MambaForCausalLM\"]}";
  g_autoptr(GBytes) config = g_bytes_new_static (mamba, strlen (mamba));
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *ref = NULL;
  AttnHubModel *model;

  fake_hub_set_file (f->hub, REPO, "config.json", config);
  snapshot = download (REPO, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "mamba"));
  g_assert_nonnull (strstr (error->message, "kept"));
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 0);

  kept = cache_path (f, "snapshots/0123456789abcdef0123456789abcdef01234567/config.json");
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  ref = cache_path (f, "refs/main");
  g_assert_true (g_file_test (ref, G_FILE_TEST_IS_REGULAR));

  models = attn_hub_list_models (f->cache);
  g_assert_cmpuint (models->len, ==, 1);
  model = g_ptr_array_index (models, 0);
  g_assert_cmpstr (model->architecture, ==, "MambaForCausalLM");
  g_assert_false (model->supported);
  g_assert_nonnull (strstr (model->why_not, "mamba"));
}

/* Only a pickle: refused before anything is fetched. */
static void
test_pytorch_only (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;

  fake_hub_set_file (f->hub, REPO, "model.safetensors", NULL);
  snapshot = download (REPO, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NO_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "pytorch_model.bin"));
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /" REPO "/resolve/"), ==, 0);
}

/* Two downloads of one repo at once, each with its own client (as two
 * processes would be): the locks make every blob arrive once, whole. */
static void
test_two_downloads (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AttnHubClient) client_a = attn_hub_client_new ();
  g_autoptr(AttnHubClient) client_b = attn_hub_client_new ();
  g_autoptr(AttnHubDownload) a = attn_hub_download_new (client_a, REPO, NULL);
  g_autoptr(AttnHubDownload) b = attn_hub_download_new (client_b, REPO, NULL);
  g_autofree char *blob = NULL;
  g_autoptr(GBytes) got = NULL;
  Outcome oa = { 0 }, ob = { 0 };

  attn_hub_download_run_async (a, NULL, downloaded_cb, &oa);
  attn_hub_download_run_async (b, NULL, downloaded_cb, &ob);
  while (!oa.done || !ob.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (oa.error);
  g_assert_no_error (ob.error);
  g_assert_cmpstr (oa.snapshot, ==, ob.snapshot);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 1);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /" REPO "/resolve/"), ==, 4);

  blob = g_build_filename (oa.snapshot, "model.safetensors", NULL);
  got = read_bytes (blob);
  g_assert_true (g_bytes_equal (got, f->weights));
  g_free (oa.snapshot);
  g_free (ob.snapshot);
}

/* The model list: architecture, parameters and bytes of what is there. */
static void
test_list_models (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = download (REPO, NULL, &error);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  AttnHubModel *model;
  guint64 bytes = 0;
  const char *files[] = { "config.json", "vocab.json", "merges.txt", "model.safetensors" };

  g_assert_no_error (error);
  models = attn_hub_list_models (f->cache);
  g_assert_cmpuint (models->len, ==, 1);
  model = g_ptr_array_index (models, 0);

  engine = attn_engine_new (snapshot, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (snapshot, files[i], NULL);
      GStatBuf st;
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      bytes += st.st_size;
    }

  g_assert_cmpstr (model->repo_id, ==, REPO);
  g_assert_cmpstr (model->revision, ==, "main");
  g_assert_cmpstr (model->commit, ==, f->hub->commit);
  g_assert_cmpstr (model->path, ==, snapshot);
  /* tiny-f32's config.json has model_type but no architectures. */
  g_assert_cmpstr (model->architecture, ==, "gpt2");
  g_assert_cmpuint (model->n_params, ==, ae_model_n_params (attn_engine_get_model (engine)));
  g_assert_cmpuint (model->n_bytes, ==, bytes);
  g_assert_true (model->supported);
  g_assert_null (model->why_not);
}

/* A sharded repo (model.safetensors.index.json and its shard, the weights
 * of the fixture under another name): downloaded whole, listed as
 * supported with its parameters, opened by the engine. */
static void
test_sharded (Fixture       *f,
              gconstpointer  data)
{
  const guchar *bytes = g_bytes_get_data (f->weights, NULL);
  guint64 header_len = 0;
  g_autofree char *header = NULL;
  g_autoptr(GString) index = g_string_new ("{\"metadata\": {}, \"weight_map\": {");
  g_autoptr(GBytes) index_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *shard = NULL;
  json_t *root, *value;
  const char *key;

  for (int i = 7; i >= 0; i--)
    header_len = header_len << 8 | bytes[i];
  header = g_strndup ((const char *) bytes + 8, header_len);
  root = json_loads (header, 0, NULL);
  g_assert_nonnull (root);
  json_object_foreach (root, key, value)
    if (strcmp (key, "__metadata__") != 0)
      g_string_append_printf (index, "\"%s\": \"model-00001-of-00001.safetensors\",", key);
  json_decref (root);
  g_string_truncate (index, index->len - 1);
  g_string_append (index, "}}");
  index_bytes = g_bytes_new (index->str, index->len);

  fake_hub_set_file (f->hub, REPO, "model.safetensors", NULL);
  fake_hub_set_file (f->hub, REPO, "model.safetensors.index.json", index_bytes);
  fake_hub_set_file (f->hub, REPO, "model-00001-of-00001.safetensors", f->weights);
  g_hash_table_add (f->hub->lfs, g_strdup ("model-00001-of-00001.safetensors"));

  snapshot = download (REPO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_hub_count (f->hub, "GET /lfs/"), ==, 1);

  engine = attn_engine_new (REPO, NULL, &error);
  g_assert_no_error (error);
  models = attn_hub_list_models (f->cache);
  g_assert_cmpuint (models->len, ==, 1);
  g_assert_true (((AttnHubModel *) g_ptr_array_index (models, 0))->supported);
  g_assert_cmpuint (((AttnHubModel *) g_ptr_array_index (models, 0))->n_params, ==,
                    ae_model_n_params (attn_engine_get_model (engine)));

  /* A shard whose blob is gone is named. */
  shard = g_build_filename (snapshot, "model-00001-of-00001.safetensors", NULL);
  {
    g_autofree char *blob = weights_blob (f, "");
    g_assert_cmpint (g_unlink (blob), ==, 0);
  }
  g_assert_false (attn_hub_check_model_dir (snapshot, &error));
  g_assert_nonnull (strstr (error->message, "model-00001-of-00001.safetensors"));
  g_assert_nonnull (strstr (error->message, "deleted"));
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  int       status;
} CliRun;

static void
cli_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliRun *run = user_data;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                                       &run->out, &run->err, NULL));
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

/* Runs attention-cli with @argv while this process's main loop serves the
 * fake Hub; the environment (HF_*) is this process's. */
static CliRun *
run_cli (const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliRun *run = g_new0 (CliRun, 1);

  g_ptr_array_add (args, (gpointer) g_getenv ("ATTENTION_CLI"));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, cli_done_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  return run;
}

static void
cli_run_free (CliRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliRun, cli_run_free)

/* attention-cli download, models, and --model REPO_ID, on the same client. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  const char *download_argv[] = { "download", REPO, NULL };
  const char *models_argv[] = { "models", "--format", "json", NULL };
  const char *info_argv[] = { "info", "--model", REPO, "--format", "json", NULL };
  const char *missing_argv[] = { "info", "--model", "test-org/not-cached", NULL };
  const char *unknown_argv[] = { "download", "test-org/no-such-model", NULL };
  g_autofree char *snapshot = cache_path (f, "snapshots/0123456789abcdef0123456789abcdef01234567");
  g_autofree char *expected_out = g_strconcat (snapshot, "\n", NULL);
  g_autoptr(CliRun) run = NULL;
  json_t *root, *model;
  guint requests;

  if (g_getenv ("ATTENTION_CLI") == NULL)
    {
      g_test_skip ("ATTENTION_CLI is not set");
      return;
    }

  run = run_cli (download_argv);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, expected_out);
  g_assert_nonnull (strstr (run->err, "model.safetensors"));
  g_clear_pointer (&run, cli_run_free);

  run = run_cli (models_argv);
  g_assert_cmpint (run->status, ==, 0);
  root = json_loads (run->out, 0, NULL);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_string_value (json_object_get (root, "cache")), ==, f->cache);
  model = json_array_get (json_object_get (root, "models"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (model, "repo")), ==, REPO);
  g_assert_cmpstr (json_string_value (json_object_get (model, "path")), ==, snapshot);
  g_assert_true (json_is_true (json_object_get (model, "supported")));
  g_assert_cmpint (json_integer_value (json_object_get (model, "params")), >, 0);
  json_decref (root);
  g_clear_pointer (&run, cli_run_free);

  /* Offline from here: the repo id opens from the cache. */
  requests = f->hub->log->len;
  g_setenv ("HF_HUB_OFFLINE", "1", TRUE);
  run = run_cli (info_argv);
  g_assert_cmpint (run->status, ==, 0);
  root = json_loads (run->out, 0, NULL);
  g_assert_cmpstr (json_string_value (json_object_get (root, "model")), ==, REPO);
  g_assert_cmpstr (json_string_value (json_object_get (root, "directory")), ==, snapshot);
  json_decref (root);
  g_clear_pointer (&run, cli_run_free);

  run = run_cli (download_argv);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, expected_out);
  g_assert_cmpuint (f->hub->log->len, ==, requests);
  g_clear_pointer (&run, cli_run_free);

  run = run_cli (missing_argv);
  g_assert_cmpint (run->status, !=, 0);
  g_assert_nonnull (strstr (run->err, "attention-cli download test-org/not-cached"));
  g_clear_pointer (&run, cli_run_free);
  g_unsetenv ("HF_HUB_OFFLINE");

  run = run_cli (unknown_argv);
  g_assert_cmpint (run->status, !=, 0);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "404"));
}

/* "Supported" reads the tokenizer the engine would: tokenizer.json, GPT-2's
 * vocab.json and merges.txt, or BERT's vocab.txt (the fixtures, each opened
 * by the engine too); half of GPT-2's pair names the missing half. */
static void
test_check_tokenizers (void)
{
  static const char *const models[] = { "bert-mlm", "distilbert-mlm", "roberta-mlm", "pythia-hf", "tiny-f32" };
  g_autofree char *half = g_dir_make_tmp ("attention-hub-half-XXXXXX", NULL);
  g_autofree char *tiny = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", models[i], NULL);
      g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (attn_hub_check_model_dir (dir, &error));
      g_assert_no_error (error);
    }
  for (const char *const *f = (const char *[]) { "config.json", "model.safetensors", "merges.txt", NULL }; *f; f++)
    {
      g_autofree char *source = g_build_filename (tiny, *f, NULL);
      g_autofree char *link = g_build_filename (half, *f, NULL);

      g_assert_cmpint (symlink (source, link), ==, 0);
    }
  g_assert_false (attn_hub_check_model_dir (half, &error));
  g_assert_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "vocab.json"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/cache-dir-order", test_cache_dir_order);
  g_test_add_func ("/hub/repo-ids", test_repo_ids);
  g_test_add_func ("/hub/check-tokenizers", test_check_tokenizers);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/hub/download/layout", test_download_layout);
  ADD ("/hub/download/offline", test_offline_resolution);
  ADD ("/hub/download/resume-after-drop", test_resume_after_drop);
  ADD ("/hub/download/resume-after-restart", test_resume_after_restart);
  ADD ("/hub/download/drop-gives-up", test_drop_gives_up);
  ADD ("/hub/download/checksum", test_checksum_mismatch);
  ADD ("/hub/download/not-found", test_not_found);
  ADD ("/hub/download/gated", test_gated);
  ADD ("/hub/download/stall", test_stall);
  ADD ("/hub/download/disk-full", test_disk_full);
  ADD ("/hub/download/read-only-cache", test_read_only_cache);
  ADD ("/hub/download/deleted-blob", test_deleted_blob);
  ADD ("/hub/download/symlinkless-cache", test_symlinkless_cache);
  ADD ("/hub/download/unsupported-architecture", test_unsupported_architecture);
  ADD ("/hub/download/pytorch-only", test_pytorch_only);
  ADD ("/hub/download/two-at-once", test_two_downloads);
  ADD ("/hub/models/list", test_list_models);
  ADD ("/hub/cli", test_cli);
  ADD ("/hub/download/sharded", test_sharded);
#undef ADD

  return g_test_run ();
}

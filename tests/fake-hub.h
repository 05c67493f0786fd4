/* fake-hub.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Hugging Face Hub on 127.0.0.1 inside the test process (a SoupServer on
 * the same main loop), so that no test reaches the internet.  It speaks
 * the real endpoints and headers: the revision API, HEAD/GET on
 * /resolve/ with ETag, X-Repo-Commit, and for LFS files X-Linked-Etag,
 * X-Linked-Size and a 302 to /lfs/SHA256, which honours Range with 206.
 * Faults are switched on per test.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  SoupServer *server;
  char       *url;            /* http://127.0.0.1:PORT */
  char       *commit;         /* every repo's main */
  GHashTable *repos;          /* repo id -> GHashTable (file name -> GBytes) */
  GHashTable *lfs;            /* file names served through LFS */
  char       *token;          /* when set, repos are gated: 401 without it, 403 with another */

  /* faults */
  guint64     drop_after;     /* > 0: an LFS body stops after this many bytes ... */
  guint       drop_times;     /* ... this many times */
  gboolean    corrupt;        /* an LFS body has one byte flipped */
  gboolean    stall;          /* LFS GETs never answer */
  guint       throttle_ms;    /* > 0: LFS bodies come 4 KiB at a time, this far apart */

  /* what was asked: "METHOD PATH" (+ " range=…" / " auth=…") per request */
  GPtrArray  *log;
  GPtrArray  *stalled;        /* paused messages, answered at teardown */
} FakeHub;

/* A hub serving @repo_id from the model folder @model_dir (its config.json,
 * tokenizer files and model.safetensors, which is served as LFS), plus a
 * pytorch_model.bin and onnx/model.onnx that must never be fetched. */
FakeHub    *fake_hub_new             (void);
void        fake_hub_add_repo        (FakeHub    *hub,
                                      const char *repo_id,
                                      const char *model_dir);
/* Replaces or adds one file of a repo (NULL @contents removes it). */
void        fake_hub_set_file        (FakeHub    *hub,
                                      const char *repo_id,
                                      const char *name,
                                      GBytes     *contents);
void        fake_hub_free            (FakeHub    *hub);

/* How many logged requests start with @prefix ("GET /lfs/"). */
guint       fake_hub_count           (FakeHub    *hub,
                                      const char *prefix);
/* The first logged request that starts with @prefix and contains @part. */
const char *fake_hub_find            (FakeHub    *hub,
                                      const char *prefix,
                                      const char *part);

char       *fake_hub_sha256          (GBytes     *bytes);
char       *fake_hub_git_sha1        (GBytes     *bytes);

G_END_DECLS

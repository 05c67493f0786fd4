/* cli-download.c — attention-cli download: a model from the Hugging Face Hub
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same AttnHubDownload the app's dialog drives, on a main loop of its
 * own.  Progress goes to standard error (a redrawn bar on a terminal, a
 * line per file otherwise); standard output gets only the snapshot
 * directory, so `--model "$(attention-cli download ORG/NAME)"` works.
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "attn-hub-cache.h"
#include "attn-hub-download.h"
#include "cli-common.h"

#define BAR_WIDTH 24

typedef struct
{
  GMainLoop       *loop;
  AttnHubDownload *download;
  GCancellable    *cancellable;
  char            *snapshot;
  GError          *error;
  gboolean         tty;
  int              last_file;     /* the file the last line was about */
  gboolean         line_open;     /* a bar is on screen without a newline */
} DownloadRun;

static void
print_file_line (DownloadRun *run,
                 guint        index)
{
  g_autofree char *size = attn_hub_format_bytes (attn_hub_download_get_file_size (run->download, index));

  fprintf (stderr, "%s  %s\n", attn_hub_download_get_file_name (run->download, index), size);
}

/* "model.safetensors [#####.......]  45%  248 MB / 548 MB  12.1 MB/s  25 s left · total 46%, 26 s left" */
static void
draw_bar (DownloadRun *run,
          int          index)
{
  AttnHubDownload *download = run->download;
  guint64 got = attn_hub_download_get_file_received (download, index);
  guint64 size = attn_hub_download_get_file_size (download, index);
  guint64 total = attn_hub_download_get_size (download);
  double fraction = size ? (double) got / size : 1.0;
  double total_fraction = total ? (double) attn_hub_download_get_received (download) / total : 1.0;
  g_autofree char *got_text = attn_hub_format_bytes (got);
  g_autofree char *size_text = attn_hub_format_bytes (size);
  g_autofree char *rate_text = attn_hub_format_bytes ((guint64) attn_hub_download_get_rate (download));
  g_autofree char *left = attn_hub_format_seconds (attn_hub_download_get_file_seconds_left (download, index));
  g_autofree char *total_left = attn_hub_format_seconds (attn_hub_download_get_seconds_left (download));
  char bar[BAR_WIDTH + 1];
  int filled = (int) (fraction * BAR_WIDTH + 0.5);

  for (int i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[BAR_WIDTH] = '\0';

  /* \033[K clears what a longer previous line left. */
  fprintf (stderr, "\r%s [%s] %3d%%  %s / %s  %s/s  %s %s · %s %d%%, %s\033[K",
           attn_hub_download_get_file_name (download, index), bar, (int) (fraction * 100),
           got_text, size_text, rate_text, left, _("left"),
           _("total"), (int) (total_fraction * 100), total_left);
  fflush (stderr);
  run->line_open = TRUE;
}

static void
changed_cb (AttnHubDownload *download,
            DownloadRun     *run)
{
  int current = attn_hub_download_get_current_file (download);

  if (attn_hub_download_get_state (download) == ATTN_HUB_DOWNLOAD_WAITING && current >= 0 &&
      current != run->last_file)
    {
      fprintf (stderr, _("%s: waiting for another download of it to finish\n"),
               attn_hub_download_get_file_name (download, current));
      run->last_file = current;
      return;
    }

  /* A finished file gets its own line, on a terminal or not. */
  if (current != run->last_file && run->last_file >= 0 &&
      (guint) run->last_file < attn_hub_download_get_n_files (download))
    {
      if (run->tty)
        {
          draw_bar (run, run->last_file);
          fputc ('\n', stderr);
          run->line_open = FALSE;
        }
      else
        print_file_line (run, run->last_file);
    }
  run->last_file = current;

  if (run->tty && current >= 0)
    draw_bar (run, current);
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DownloadRun *run = user_data;

  run->snapshot = attn_hub_download_run_finish (ATTN_HUB_DOWNLOAD (source), result, &run->error);
  changed_cb (run->download, run);
  if (run->line_open)
    fputc ('\n', stderr);
  g_main_loop_quit (run->loop);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  DownloadRun *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

int
cli_download (int    argc,
              char **argv)
{
  g_auto(CliCommon) common = { 0 };
  g_autofree char *revision = NULL;
  g_autoptr(AttnHubClient) client = NULL;
  const GOptionEntry entries[] = {
    { "revision", 'r', 0, G_OPTION_ARG_STRING, &revision,
      N_("Branch, tag or commit to download (default: main)"), N_("REV") },
    G_OPTION_ENTRY_NULL
  };
  DownloadRun run = { 0 };
  guint sigint;
  int status = 0;

  if (!cli_parse ("download", _("REPO_ID"),
                  _("Download a model (config.json, tokenizer files, safetensors weights) from the Hugging Face Hub into its cache, resuming what an earlier run left.  Prints the snapshot directory.\n\nEnvironment: HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE (or HF_HOME), HF_HUB_OFFLINE, HF_HUB_DOWNLOAD_TIMEOUT."),
                  entries, CLI_PARSE_NO_MODEL, &common, &argc, &argv))
    return 2;
  if (argc != 2)
    return cli_fail (_("download takes one REPO_ID, such as openai-community/gpt2"));
  if (!attn_hub_is_repo_id (argv[1]))
    return cli_fail (_("“%s” is not a Hugging Face repo id (ORG/NAME)"), argv[1]);

  client = attn_hub_client_new ();
  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.download = attn_hub_download_new (client, argv[1], revision);
  run.tty = isatty (STDERR_FILENO);
  run.last_file = -1;
  g_signal_connect (run.download, "changed", G_CALLBACK (changed_cb), &run);
  sigint = g_unix_signal_add (SIGINT, interrupt_cb, &run);

  attn_hub_download_run_async (run.download, run.cancellable, downloaded_cb, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);

  if (run.error != NULL)
    {
      /* The files of a model the engine cannot run are kept: say where. */
      if (g_error_matches (run.error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED) &&
          attn_hub_download_get_snapshot_dir (run.download) != NULL)
        printf ("%s\n", attn_hub_download_get_snapshot_dir (run.download));
      status = cli_fail_error (run.error);
      if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        status = 130;
    }
  else
    printf ("%s\n", run.snapshot);

  g_clear_error (&run.error);
  g_free (run.snapshot);
  g_object_unref (run.download);
  g_object_unref (run.cancellable);
  g_main_loop_unref (run.loop);
  return status;
}

/* attn-export-task.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-export"

#include "config.h"

#include <string.h>

#include "attn-export-task.h"

/* One export's own copy of everything it reads: the caller's options,
 * title, layer and head lists may be gone by the time the thread runs. */
typedef struct
{
  AttnResult         *result;
  AttnResult         *intact;     /* options.intact's ref */
  char               *path;
  gboolean            values;
  AttnFigureOptions   options;
  char               *title;
  double             *scores;        /* the options' own copies */
  char               *scores_label;
  AttnValuesSelection selection;
  guint              *layers;
  guint              *heads;
  AttnValuesFormat    format;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_clear_pointer (&job->result, attn_result_unref);
  g_clear_pointer (&job->options.compare, attn_result_unref);
  g_free (job->scores);
  g_free (job->scores_label);
  g_clear_pointer (&job->intact, attn_result_unref);
  g_free (job->path);
  g_free (job->title);
  g_free (job->layers);
  g_free (job->heads);
  g_free (job);
}

static ExportJob *
export_job_new (AttnResult *result,
                const char *path)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  job->result = attn_result_ref (result);
  job->path = g_strdup (path);
  return job;
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->values)
    ok = attn_values_write_file (job->result, &job->selection, job->format, job->path,
                                 cancellable, &error);
  else
    ok = attn_export_figure (job->result, &job->options, job->path, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_job (ExportJob           *job,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, export_job_free);
  g_task_run_in_thread (task, export_in_thread);
}

void
attn_export_figure_async (AttnResult              *result,
                          const AttnFigureOptions *options,
                          const char              *path,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  ExportJob *job;

  g_return_if_fail (result != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (path != NULL);

  job = export_job_new (result, path);
  job->options = *options;
  job->title = g_strdup (options->title);
  job->options.title = job->title;
  /* The grid's scores (L × NH) and the compared result outlive the caller's. */
  if (options->scores != NULL)
    job->scores = g_memdup2 (options->scores, (gsize) attn_result_get_n_layers (result) *
                                              attn_result_get_n_heads (result) * sizeof (double));
  job->options.scores = job->scores;
  job->scores_label = g_strdup (options->scores_label);
  job->options.scores_label = job->scores_label;
  if (options->compare != NULL)
    job->options.compare = attn_result_ref (options->compare);
  if (options->intact != NULL)
    job->intact = attn_result_ref (options->intact);
  run_job (job, attn_export_figure_async, cancellable, callback, user_data);
}

static gboolean
finish_job (GAsyncResult  *async_result,
            gpointer       source_tag,
            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (async_result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (async_result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (async_result), error);
}

gboolean
attn_export_figure_finish (GAsyncResult  *async_result,
                           GError       **error)
{
  return finish_job (async_result, attn_export_figure_async, error);
}

static guint *
copy_indices (const guint *indices,
              gsize        n)
{
  guint *copy = g_new0 (guint, MAX (n, 1));

  memcpy (copy, indices, n * sizeof (guint));
  return copy;
}

void
attn_values_write_file_async (AttnResult                *result,
                              const AttnValuesSelection *selection,
                              AttnValuesFormat           format,
                              const char                *path,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  ExportJob *job;

  g_return_if_fail (result != NULL);
  g_return_if_fail (selection != NULL);
  g_return_if_fail (path != NULL);

  job = export_job_new (result, path);
  job->values = TRUE;
  job->format = format;
  job->selection = *selection;
  /* NULL lists mean "every", so an empty list must stay non-NULL. */
  if (selection->layers != NULL)
    job->selection.layers = job->layers = copy_indices (selection->layers, selection->n_layers);
  if (selection->heads != NULL)
    job->selection.heads = job->heads = copy_indices (selection->heads, selection->n_heads);
  run_job (job, attn_values_write_file_async, cancellable, callback, user_data);
}

gboolean
attn_values_write_file_finish (GAsyncResult  *async_result,
                               GError       **error)
{
  return finish_job (async_result, attn_values_write_file_async, error);
}

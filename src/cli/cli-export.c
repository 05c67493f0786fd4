/* cli-export.c — attention-cli export: figures for slides and papers
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * attention-cli export --view heatmap|arcs|grid|delta|rollout [--layer L]
 *   [--head H] [--query I] [--key J] [--all-heads] [--width W] [--height H]
 *   [--scale S] [--theme light|dark] [--no-title] [--no-colorbar]
 *   [--colormap NAME] [--ablate L.H,…] [--model DIR]
 *   -o FILE.(png|svg|pdf) TEXT
 *
 * --all-heads writes a PDF with one titled heatmap page per layer × head,
 * or, for a .png, a contact sheet of every head (the grid view); SVG is
 * refused, since one SVG file cannot hold pages.  The app's Δ and rollout
 * views (issue 14) export here as the app exports them: --view delta (the
 * head with the --ablate heads off minus the intact model's run of the same
 * text) and --view rollout draw their figures, and with -o FILE.json,
 * .csv or .npy write their values (attn-derived-values.h).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-derived.h"
#include "attn-derived-values.h"
#include "attn-display.h"
#include "attn-export.h"
#include "cli-common.h"

static gboolean
is_derived (AttnView view)
{
  return view == ATTN_VIEW_DELTA || view == ATTN_VIEW_ROLLOUT;
}

/* A Δ or rollout view's values (JSON, CSV or NPY) into @path, as the app's
 * Export Values writes them. */
static int
write_derived_values (AttnResult       *result,
                      AttnResult       *intact,
                      AttnView          view,
                      int               layer,
                      int               head,
                      int               query,
                      AttnPairFilter    pairs,
                      AttnValuesFormat  format,
                      const char       *path)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  AttnNamedMatrix matrices[ATTN_DERIVED_MAX_MATRICES];
  gsize n = 0;
  json_t *members;
  gboolean ok;

  members = attn_derived_values_collect (result, intact, view, (guint) layer, (guint) head, query,
                                         matrices, &n, owned, &error);
  if (members == NULL)
    return cli_fail_error (error);
  ok = attn_matrix_values_write_file (result, matrices, n, pairs, members, format, path, NULL, &error);
  json_decref (members);
  return ok ? CLI_EXIT_OK : cli_fail_error (error);
}

int
cli_export (int    argc,
            char **argv)
{
  g_auto(CliCommon) common = { 0 };
  g_autofree char *view_name = NULL;
  g_autofree char *theme_name = NULL;
  g_autofree char *colormap_name = NULL;
  g_autofree char *scale_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnResult) intact = NULL;
  AttnFigureOptions options;
  AttnFigureFormat format;
  AttnValuesFormat values_format;
  gboolean as_values = FALSE;
  g_autofree char *layer_arg = NULL, *head_arg = NULL, *query_arg = NULL, *key_arg = NULL;
  int layer, head, query, key;
  double width = 0, height = 0, png_scale = 1, threshold = 0.1;
  g_autofree char *links_name = NULL;
  int top_k = 3;
  gboolean all_heads = FALSE, no_title = FALSE, no_colorbar = FALSE, values = FALSE;
  gboolean hide_first = FALSE, row_max = FALSE, merge_words = FALSE;
  g_auto(GStrv) hide = NULL;
  g_autofree char *links = NULL;
  AttnPairFilter pairs;
  const GOptionEntry entries[] = {
    { "view", 'v', 0, G_OPTION_ARG_STRING, &view_name, N_("heatmap, arcs, grid, delta (heads off − intact) or rollout (default: heatmap)"), N_("VIEW") },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_arg, N_("Layer (default: 0)"), N_("L") },
    { "head", 'H', 0, G_OPTION_ARG_STRING, &head_arg, N_("Head (default: 0)"), N_("H") },
    { "query", 'q', 0, G_OPTION_ARG_STRING, &query_arg, N_("Selected query token (default: none)"), N_("I") },
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key_arg, N_("Pinned key token, with --query (default: none)"), N_("J") },
    { "all-heads", 'a', 0, G_OPTION_ARG_NONE, &all_heads, N_("Every head: a PDF page each, or a PNG contact sheet"), NULL },
    { "width", 'W', 0, G_OPTION_ARG_DOUBLE, &width, N_("Figure width in px (PNG) or pt (SVG, PDF)"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_DOUBLE, &height, N_("Figure height (default: from the width)"), N_("H") },
    { "scale", 's', 0, G_OPTION_ARG_DOUBLE, &png_scale, N_("PNG pixels per unit: 1, 2 or 4 (default: 1)"), N_("S") },
    { "theme", 't', 0, G_OPTION_ARG_STRING, &theme_name, N_("light or dark (default: light)"), N_("THEME") },
    { "colormap", 'c', 0, G_OPTION_ARG_STRING, &colormap_name, N_("viridis, magma or blues (default: viridis)"), N_("NAME") },
    { "color-scale", 0, 0, G_OPTION_ARG_STRING, &scale_name, N_("linear, sqrt or log (default: linear)"), N_("SCALE") },
    { "hide-first", 0, 0, G_OPTION_ARG_NONE, &hide_first, N_("Hide the first token (an attention sink); rows renormalised over the rest"), NULL },
    { "hide", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hide, N_("Hide token I too (repeatable); rows renormalised"), N_("I") },
    { "row-max", 0, 0, G_OPTION_ARG_NONE, &row_max, N_("Scale each row to its own maximum"), NULL },
    { "links", 0, 0, G_OPTION_ARG_STRING, &links, N_("With --pair: show only the links A->A, A->B, B->A or B->B, as the app's Links filter"), N_("LINKS") },
    { "merge-words", 'w', 0, G_OPTION_ARG_NONE, &merge_words, N_("Words instead of sub-word pieces (sum over the key's pieces, mean over the query's); --query, --key and --hide then count words"), NULL },
    { "threshold", 0, 0, G_OPTION_ARG_DOUBLE, &threshold, N_("Arcs without --query: weakest link drawn (default: 0.1)"), N_("W") },
    { "arc-links", 0, 0, G_OPTION_ARG_STRING, &links_name, N_("Arcs: query (the query's links; without one, those above --threshold), threshold (every token's above it) or top-k (every token's --top-k strongest); default: query"), N_("MODE") },
    { "top-k", 0, 0, G_OPTION_ARG_INT, &top_k, N_("Arcs with --arc-links top-k: links per token, 1 to 10 (default: 3)"), N_("K") },
    { "values", 0, 0, G_OPTION_ARG_NONE, &values, N_("Heatmap: print the weights in cells big enough"), NULL },
    { "title", 'T', 0, G_OPTION_ARG_STRING, &title, N_("Title line (default: model, layer, head, text)"), N_("TEXT") },
    { "no-title", 0, 0, G_OPTION_ARG_NONE, &no_title, N_("Leave out the title line"), NULL },
    { "no-colorbar", 0, 0, G_OPTION_ARG_NONE, &no_colorbar, N_("Leave out the colour bar"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The figure: FILE.png, FILE.svg or FILE.pdf; delta and rollout also FILE.json, .csv or .npy (the values)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!cli_parse ("export", "TEXT", _("Draw a view of the attention as PNG, SVG or PDF"),
                  entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_ABLATES | CLI_PARSE_PAIRS, &common, &argc, &argv))
    return CLI_EXIT_USAGE;

  attn_figure_options_init (&options);

  if (output == NULL)
    return cli_usage (_("no output file: pass -o FILE.png, FILE.svg or FILE.pdf"));
  if ((view_name != NULL && !attn_view_from_string (view_name, &options.view)) ||
      options.view == ATTN_VIEW_COMPARE)
    return cli_usage (_("unknown view “%s”: use heatmap, arcs, grid, delta or rollout"), view_name);
  if (!attn_figure_format_from_path (output, &format))
    {
      if (!is_derived (options.view) || !attn_values_format_from_path (output, &values_format))
        return cli_usage (is_derived (options.view)
                            ? _("cannot tell the format of “%s”: use a .png, .svg, .pdf, .json, .csv or .npy file name")
                            : _("cannot tell the format of “%s”: use a .png, .svg or .pdf file name"), output);
      as_values = TRUE;
    }
  if (options.view == ATTN_VIEW_DELTA && common.ablate == NULL)
    return cli_usage (_("--view delta shows what switching heads off changes: pass --ablate L.H[,L.H…]"));
  if (is_derived (options.view) && (all_heads || merge_words))
    return cli_usage (_("--all-heads and --merge-words draw the attention weights: leave them out with --view %s"),
                      view_name);
  if (colormap_name != NULL && !attn_colormap_from_string (colormap_name, &options.colormap))
    return cli_usage (_("unknown colour map “%s”: use viridis, magma or blues"), colormap_name);
  if (scale_name != NULL && !attn_scale_from_string (scale_name, &options.scale))
    return cli_usage (_("unknown colour scale “%s”: use linear, sqrt or log"), scale_name);
  options.display.row_max = row_max;
  if (!cli_parse_links (links, &common, &pairs))
    return CLI_EXIT_USAGE;
  options.display.pairs = pairs;
  if (hide_first)
    attn_display_set_hidden (&options.display, 0, TRUE);
  for (guint i = 0; hide != NULL && hide[i] != NULL; i++)
    {
      guint64 index;

      if (!g_ascii_string_to_unsigned (hide[i], 10, 0, G_MAXINT, &index, NULL))
        return cli_usage (_("--hide takes a token index, not “%s”"), hide[i]);
      if (!attn_display_set_hidden (&options.display, (guint) index, TRUE))
        return cli_usage (_("at most %d tokens can be hidden"), ATTN_DISPLAY_MAX_HIDDEN);
    }
  if (theme_name != NULL && g_ascii_strcasecmp (theme_name, "light") != 0 &&
      g_ascii_strcasecmp (theme_name, "dark") != 0)
    return cli_usage (_("unknown theme “%s”: use light or dark"), theme_name);
  if (all_heads && format == ATTN_FIGURE_SVG)
    return cli_usage (_("--all-heads needs a .pdf (one page per head) or a .png (a contact sheet)"));
  if (!cli_parse_index ("layer", layer_arg, 0, &layer) ||
      !cli_parse_index ("head", head_arg, 0, &head) ||
      !cli_parse_index ("query", query_arg, -1, &query) ||
      !cli_parse_index ("key", key_arg, -1, &key))
    return CLI_EXIT_USAGE;
  if (key >= 0 && query < 0)
    return cli_usage (_("--key pins a cell of the selected row: pass --query too"));
  if (width < 0 || height < 0 || png_scale <= 0)
    return cli_usage (_("--width, --height and --scale must be positive"));

  options.layer = layer;
  options.head = head;
  options.query = query;
  options.key = key;
  options.all_heads = all_heads;
  options.width = width;
  options.height = height;
  options.png_scale = png_scale;
  options.dark = theme_name != NULL && g_ascii_strcasecmp (theme_name, "dark") == 0;
  options.show_title = !no_title;
  options.show_colorbar = !no_colorbar;
  options.show_values = values;
  options.threshold = threshold;
  if (links_name != NULL && !attn_arc_links_from_string (links_name, &options.arc_links))
    return cli_usage (_("unknown --arc-links “%s”: use query, threshold or top-k"), links_name);
  if (top_k < 1 || top_k > ATTN_ARC_MAX_TOP_K)
    return cli_usage (_("--top-k must be 1 to %d"), ATTN_ARC_MAX_TOP_K);
  options.top_k = top_k;
  options.title = title;

  if ((text = cli_text_argument (argc, argv)) == NULL)
    return CLI_EXIT_USAGE;
  if ((engine = cli_load_engine (&common)) == NULL)
    return CLI_EXIT_FAILURE;

  if (!cli_check_layer_head (engine, layer, head) || !cli_check_ablation (engine, &common)
      || !cli_check_pair (engine, &common))
    return CLI_EXIT_USAGE;

  /* One head's heatmap or arcs read no later layer: stop after the one
   * asked for.  The grid and --all-heads draw every layer. */
  if ((result = cli_run (engine, &common, text,
                         all_heads || options.view == ATTN_VIEW_GRID || options.view == ATTN_VIEW_ROLLOUT
                           ? 0 : (guint) layer + 1)) == NULL)
    return CLI_EXIT_FAILURE;
  if (options.view == ATTN_VIEW_DELTA && (intact = attn_result_run_intact (result, NULL, &error)) == NULL)
    return cli_fail_error (error);
  options.intact = intact;
  if (merge_words && !cli_merge_words (&result))
    return CLI_EXIT_FAILURE;

  if (query >= (int) attn_result_get_n_tokens (result))
    return cli_token_out_of_range ("query", query, attn_result_get_n_tokens (result));
  if (key >= (int) attn_result_get_n_tokens (result))
    return cli_token_out_of_range ("key", key, attn_result_get_n_tokens (result));

  if (as_values)
    return write_derived_values (result, intact, options.view, layer, head, query, pairs, values_format, output);
  if (!attn_export_figure (result, &options, output, NULL, &error))
    return cli_fail_error (error);
  return CLI_EXIT_OK;
}

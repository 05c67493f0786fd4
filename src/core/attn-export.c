/* attn-export.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cairo draws into a surface; the surface's bytes go to a GOutputStream,
 * and attn_write_file_atomically () turns that into "all or nothing" on
 * disk.  SVG is the one special case: cairo 1.16 writes glyphs as paths,
 * so the renderer hands its texts to a sink here instead and they are
 * written as real, selectable <text> elements.
 */

#define G_LOG_DOMAIN "attn-export"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "attn-export.h"
#include "attn-render-compare.h"
#include "attn-export-derived.h"
#include "attn-values.h"

G_DEFINE_QUARK (attn-export-error-quark, attn_export_error)

/* cairo's image surfaces stop at 32767 pixels a side. */
#define MAX_PIXELS 32767.0

void
attn_figure_options_init (AttnFigureOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->view = ATTN_VIEW_HEATMAP;
  options->query = options->key = -1;
  options->colormap = ATTN_COLORMAP_VIRIDIS;
  options->scale = ATTN_SCALE_LINEAR;
  options->show_title = TRUE;
  options->show_colorbar = TRUE;
  options->threshold = 0.1;
  options->arc_links = ATTN_ARC_LINKS_QUERY;
  options->top_k = 3;
}

gboolean
attn_figure_format_from_path (const char       *path,
                              AttnFigureFormat *format)
{
  const char *dot;

  g_return_val_if_fail (format != NULL, FALSE);

  if (path == NULL || (dot = strrchr (path, '.')) == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;

  if (g_ascii_strcasecmp (dot, ".png") == 0)
    *format = ATTN_FIGURE_PNG;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = ATTN_FIGURE_SVG;
  else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = ATTN_FIGURE_PDF;
  else
    return FALSE;
  return TRUE;
}

gboolean
attn_view_from_string (const char *name,
                       AttnView   *view)
{
  static const char *names[] = { "heatmap", "arcs", "grid", "compare", "delta", "rollout" };

  g_return_val_if_fail (view != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *view = i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Specs from options                                                       */

static const AttnTheme *
options_theme (const AttnFigureOptions *options)
{
  return attn_theme_get_default (options->dark);
}

/* The fields every view's spec shares, by the same names. */
#define SPEC_FROM_OPTIONS(spec, options)                \
  G_STMT_START {                                        \
    (spec)->colormap = (options)->colormap;             \
    (spec)->scale = (options)->scale;                   \
    (spec)->display = (options)->display;               \
    (spec)->theme = options_theme (options);            \
    (spec)->show_title = (options)->show_title;         \
    (spec)->show_colorbar = (options)->show_colorbar;   \
    (spec)->title = (options)->title;                   \
  } G_STMT_END

static void
heatmap_spec_from_options (AttnHeatmapSpec         *spec,
                           AttnResult              *result,
                           const AttnFigureOptions *options,
                           guint                    layer,
                           guint                    head)
{
  attn_heatmap_spec_init (spec, result, layer, head);
  spec->query = options->query;
  spec->key = options->query >= 0 ? options->key : -1;
  spec->show_values = options->show_values;
  SPEC_FROM_OPTIONS (spec, options);
}

static void
arc_spec_from_options (AttnArcSpec             *spec,
                       AttnResult              *result,
                       const AttnFigureOptions *options)
{
  attn_arc_spec_init (spec, result, options->layer, options->head);
  spec->query = options->query;
  spec->key = options->query >= 0 ? options->key : -1;
  spec->threshold = options->threshold;
  spec->links = options->arc_links;
  spec->top_k = options->top_k;
  SPEC_FROM_OPTIONS (spec, options);
}

static void
grid_spec_from_options (AttnGridSpec            *spec,
                        AttnResult              *result,
                        const AttnFigureOptions *options)
{
  attn_grid_spec_init (spec, result);
  /* The contact sheet of every head marks none; a grid view keeps the
   * selected head outlined, as on screen. */
  spec->layer = options->all_heads ? -1 : (int) options->layer;
  spec->head = options->all_heads ? -1 : (int) options->head;
  spec->query = options->query;
  spec->scores = options->all_heads ? NULL : options->scores;
  spec->scores_label = options->scores_label;
  SPEC_FROM_OPTIONS (spec, options);
}

static void
compare_spec_from_options (AttnCompareSpec         *spec,
                           AttnResult              *result,
                           const AttnFigureOptions *options,
                           guint                    layer,
                           guint                    head)
{
  attn_compare_spec_init (spec, result, options->compare, layer, head);
  spec->query = options->query;
  spec->delta = options->compare_delta;
  SPEC_FROM_OPTIONS (spec, options);
}

/* What is drawn: the grid for a PNG of all heads, else the view. */
static AttnView
effective_view (const AttnFigureOptions *options,
                AttnFigureFormat         format)
{
  if (options->all_heads && format == ATTN_FIGURE_PNG)
    return ATTN_VIEW_GRID;
  if (options->all_heads)
    return ATTN_VIEW_HEATMAP;
  return options->view;
}

static void
default_size (AttnResult              *result,
              const AttnFigureOptions *options,
              AttnView                 view,
              double                  *width,
              double                  *height)
{
  guint n_tokens = attn_result_get_n_tokens (result);

  switch (view)
    {
    case ATTN_VIEW_ARCS:
      {
        AttnArcSpec spec;
        double natural_w, natural_h;

        /* As wide as the sentence reads, within reason; past 1600 the
         * labels turn upright and the arcs get the full height. */
        arc_spec_from_options (&spec, result, options);
        attn_arcs_get_natural_size (&spec, &natural_w, &natural_h);
        *width = CLAMP (natural_w, 480, 1600);
        *height = natural_w > 1600 ? 480 : CLAMP (natural_h, 200, 480);
      }
      break;

    case ATTN_VIEW_COMPARE:
      {
        AttnCompareSpec spec;

        compare_spec_from_options (&spec, result, options, options->layer, options->head);
        attn_compare_get_natural_size (&spec, width, height);
      }
      break;

    case ATTN_VIEW_GRID:
      {
        AttnGridSpec spec;
        guint most = MAX (attn_result_get_n_layers (result), attn_result_get_n_heads (result));

        grid_spec_from_options (&spec, result, options);
        spec.thumb_size = CLAMP (floor (720.0 / most), 48, 96);
        attn_grid_get_natural_size (&spec, width, height);
      }
      break;

    case ATTN_VIEW_DELTA:
    case ATTN_VIEW_ROLLOUT:
      _attn_derived_figure_size (result, options, view, width, height);
      break;

    case ATTN_VIEW_HEATMAP:
    default:
      {
        AttnHeatmapSpec spec;

        /* Roomy cells for a sentence, one legible label line per token up
         * to a hundred or so, and never more than 1600 px of cells. */
        heatmap_spec_from_options (&spec, result, options, options->layer, options->head);
        spec.cell_size = MIN (CLAMP (floor (560.0 / n_tokens), 16, 64), 1600.0 / n_tokens);
        attn_heatmap_get_natural_size (&spec, width, height);
      }
      break;
    }
}

void
attn_figure_get_size (AttnResult              *result,
                      const AttnFigureOptions *options,
                      double                  *width,
                      double                  *height)
{
  AttnFigureFormat format;
  double w, h;

  g_return_if_fail (result != NULL && options != NULL);

  format = options->all_heads ? ATTN_FIGURE_PDF : ATTN_FIGURE_PNG;
  default_size (result, options, effective_view (options, format), &w, &h);

  if ((options->width > 0 && options->height > 0) || w <= 0 || h <= 0)
    w = options->width, h = options->height;
  else if (options->width > 0)
    h = round (options->width * h / w), w = options->width;
  else if (options->height > 0)
    w = round (options->height * w / h), h = options->height;

  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

guint
attn_figure_get_pixel_scale (AttnResult              *result,
                             const AttnFigureOptions *options)
{
  AttnHeatmapSpec spec;
  AttnHeatmapViewport viewport;
  double width, height;
  guint scale;

  g_return_val_if_fail (result != NULL && options != NULL, 1);

  if (options->all_heads || options->view != ATTN_VIEW_HEATMAP || attn_result_get_trace (result) == NULL)
    return 1;

  attn_figure_get_size (result, options, &width, &height);
  heatmap_spec_from_options (&spec, result, options, options->layer, options->head);
  if (!attn_heatmap_get_viewport (&spec, width, height, &viewport) || viewport.cell >= 1)
    return 1;

  /* Never past what prepare() accepts. */
  scale = (guint) ceil (1.0 / viewport.cell - 1e-9);
  while (scale > 1 && (scale > 8 || ceil (MAX (width, height) * scale) > MAX_PIXELS))
    scale--;
  return scale;
}

static void
render_view (cairo_t                 *cr,
             AttnResult              *result,
             const AttnFigureOptions *options,
             AttnView                 view,
             guint                    layer,
             guint                    head,
             double                   width,
             double                   height)
{
  switch (view)
    {
    case ATTN_VIEW_ARCS:
      {
        AttnArcSpec spec;

        arc_spec_from_options (&spec, result, options);
        attn_render_arcs (cr, &spec, width, height);
      }
      break;

    case ATTN_VIEW_COMPARE:
      {
        AttnCompareSpec spec;

        compare_spec_from_options (&spec, result, options, layer, head);
        attn_render_compare (cr, &spec, width, height);
      }
      break;

    case ATTN_VIEW_GRID:
      {
        AttnGridSpec spec;
        g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();

        grid_spec_from_options (&spec, result, options);
        spec.cache = cache;
        attn_render_grid (cr, &spec, width, height);
      }
      break;

    case ATTN_VIEW_DELTA:
    case ATTN_VIEW_ROLLOUT:
      _attn_render_derived_figure (cr, result, options, view, layer, head, width, height);
      break;

    case ATTN_VIEW_HEATMAP:
    default:
      {
        AttnHeatmapSpec spec;

        heatmap_spec_from_options (&spec, result, options, layer, head);
        attn_render_heatmap (cr, &spec, width, height);
      }
      break;
    }
}

/* ------------------------------------------------------------------------ */
/* Validation                                                               */

/* Checks @options against @result and works out the figure's size; FALSE
 * with an error a person can act on. */
static gboolean
prepare (AttnResult              *result,
         const AttnFigureOptions *options,
         AttnFigureFormat         format,
         double                  *width,
         double                  *height,
         GError                 **error)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  double png_scale = options->png_scale > 0 ? options->png_scale : 1.0;

  if (attn_result_get_trace (result) == NULL || n_tokens == 0)
    {
      g_set_error_literal (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID,
                           _("There are no attention weights to draw: the text has no tokens or was not run"));
      return FALSE;
    }
  if (options->layer >= attn_result_get_n_layers (result) ||
      options->head >= attn_result_get_n_heads (result))
    {
      g_set_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID,
                   _("Layer %u, head %u does not exist: the model has layers 0–%u and heads 0–%u"),
                   options->layer, options->head,
                   attn_result_get_n_layers (result) - 1, attn_result_get_n_heads (result) - 1);
      return FALSE;
    }
  if (options->query >= (int) n_tokens || options->key >= (int) n_tokens)
    {
      g_set_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID,
                   _("Token %d does not exist: the text has tokens 0–%u"),
                   MAX (options->query, options->key), n_tokens - 1);
      return FALSE;
    }
  if (options->view == ATTN_VIEW_COMPARE && !options->all_heads &&
      (options->compare == NULL || !attn_result_has_trace (options->compare) ||
       attn_result_get_n_tokens (options->compare) == 0 ||
       attn_result_get_n_layers (options->compare) != attn_result_get_n_layers (result) ||
       attn_result_get_n_heads (options->compare) != attn_result_get_n_heads (result)))
    {
      g_set_error_literal (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID,
                           _("There is no second text to compare with, or another model ran it"));
      return FALSE;
    }
  if (!_attn_derived_figure_check (result, options, error))
    return FALSE;
  if (options->all_heads && format == ATTN_FIGURE_SVG)
    {
      g_set_error_literal (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_UNKNOWN_FORMAT,
                           _("All heads need a PDF (one page per head) or a PNG (a contact sheet), not SVG"));
      return FALSE;
    }

  attn_figure_get_size (result, options, width, height);

  if (!(*width >= 16 && *height >= 16 && *width <= MAX_PIXELS && *height <= MAX_PIXELS))
    {
      g_set_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID,
                   _("A figure of %g × %g is not possible: each side must be 16 to %g"),
                   *width, *height, MAX_PIXELS);
      return FALSE;
    }
  if (format == ATTN_FIGURE_PNG &&
      (png_scale > 8 || ceil (*width * png_scale) > MAX_PIXELS || ceil (*height * png_scale) > MAX_PIXELS))
    {
      g_set_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID,
                   _("A PNG of %g × %g at ×%g is too large: at most %g pixels a side, ×8"),
                   *width, *height, png_scale, MAX_PIXELS);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Streams                                                                  */

typedef struct
{
  GOutputStream *stream;     /* NULL: collect into buffer */
  GByteArray    *buffer;
  GCancellable  *cancellable;
  GError        *error;      /* the first write error */
} StreamClosure;

static cairo_status_t
stream_write_cb (void                *user_data,
                 const unsigned char *data,
                 unsigned int         length)
{
  StreamClosure *closure = user_data;

  if (closure->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;

  if (closure->buffer != NULL)
    {
      g_byte_array_append (closure->buffer, data, length);
      return CAIRO_STATUS_SUCCESS;
    }

  if (!g_output_stream_write_all (closure->stream, data, length, NULL,
                                  closure->cancellable, &closure->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* The write error if there was one, else cairo's status as an error. */
static gboolean
finish_status (StreamClosure   *closure,
               cairo_status_t   status,
               GError         **error)
{
  if (closure->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&closure->error));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_FAILED,
                   _("Could not draw the figure: %s"), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* SVG text                                                                 */

typedef struct
{
  GString    *texts;    /* <text> elements in drawing order */
  char       *family;   /* font-family attribute value, escaped */
} SvgTexts;

static void
svg_text_sink (const char           *text,
               const cairo_matrix_t *m,
               double                anchor,
               double                font_px,
               gboolean              bold,
               const AttnRgba       *color,
               gpointer              user_data)
{
  SvgTexts *svg = user_data;
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  char num[6][G_ASCII_DTOSTR_BUF_SIZE];
  char size[G_ASCII_DTOSTR_BUF_SIZE];
  const double values[6] = { m->xx, m->yx, m->xy, m->yy, m->x0, m->y0 };

  /* C-locale numbers whatever LC_NUMERIC says. */
  for (int i = 0; i < 6; i++)
    g_ascii_formatd (num[i], sizeof num[i], "%.4f", values[i]);
  g_ascii_formatd (size, sizeof size, "%.2f", font_px);

  g_string_append_printf (svg->texts,
                          "<text transform=\"matrix(%s %s %s %s %s %s)\" font-family=\"%s\" "
                          "font-size=\"%s\"%s fill=\"#%02x%02x%02x\" text-anchor=\"%s\" "
                          "xml:space=\"preserve\">%s</text>\n",
                          num[0], num[1], num[2], num[3], num[4], num[5],
                          svg->family, size, bold ? " font-weight=\"bold\"" : "",
                          (int) lround (color->r * 255), (int) lround (color->g * 255),
                          (int) lround (color->b * 255),
                          anchor < 0.25 ? "start" : anchor > 0.75 ? "end" : "middle",
                          escaped);
}

/* "Cantarell, DejaVu Sans, sans-serif" → "Cantarell, 'DejaVu Sans', sans-serif" */
static char *
svg_font_family (const char *family)
{
  g_auto(GStrv) names = g_strsplit (family ? family : "sans-serif", ",", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      if (*name == '\0')
        continue;
      if (s->len > 0)
        g_string_append (s, ", ");
      if (strchr (name, ' ') != NULL)
        g_string_append_printf (s, "'%s'", escaped);
      else
        g_string_append (s, escaped);
    }
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Writers                                                                  */

static gboolean
write_png (AttnResult              *result,
           const AttnFigureOptions *options,
           double                   width,
           double                   height,
           StreamClosure           *closure,
           GError                 **error)
{
  double png_scale = options->png_scale > 0 ? options->png_scale : 1.0;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        (int) ceil (width * png_scale), (int) ceil (height * png_scale));
  cr = cairo_create (surface);
  cairo_scale (cr, png_scale, png_scale);
  render_view (cr, result, options, effective_view (options, ATTN_FIGURE_PNG),
               options->layer, options->head, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, stream_write_cb, closure);
  cairo_surface_destroy (surface);

  return finish_status (closure, status, error);
}

static gboolean
write_svg (AttnResult              *result,
           const AttnFigureOptions *options,
           double                   width,
           double                   height,
           StreamClosure           *closure,
           GError                 **error)
{
  StreamClosure collect = { NULL, g_byte_array_new (), closure->cancellable, NULL };
  SvgTexts texts = { g_string_new (NULL), svg_font_family (options_theme (options)->font_family) };
  cairo_surface_t *surface;
  cairo_status_t status;
  gboolean ok = FALSE;
  cairo_t *cr;

  surface = cairo_svg_surface_create_for_stream (stream_write_cb, &collect, width, height);
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  _attn_render_set_text_sink (surface, svg_text_sink, &texts);

  cr = cairo_create (surface);
  render_view (cr, result, options, options->view, options->layer, options->head, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (finish_status (&collect, status, error))
    {
      g_autoptr(GString) svg = g_string_new_len ((const char *) collect.buffer->data, collect.buffer->len);
      const char *end = g_strrstr_len (svg->str, svg->len, "</svg>");

      if (end == NULL)
        g_set_error_literal (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_FAILED,
                             _("Could not draw the figure: cairo wrote no SVG"));
      else
        {
          /* The texts go last, above everything, as they were drawn
           * (inserted back to front: inserting moves the string). */
          gssize at = end - svg->str;

          g_string_insert (svg, at, "</g>\n");
          g_string_insert (svg, at, texts.texts->str);
          g_string_insert (svg, at, "<g id=\"attention-text\">\n");

          /* Every image here is weights at one pixel per cell; cairo 1.16
           * does not pass CAIRO_FILTER_NEAREST on, and viewers would blur
           * the cells into each other. */
          g_string_replace (svg, "<image ",
                            "<image image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" ", 0);

          ok = g_output_stream_write_all (closure->stream, svg->str, svg->len, NULL, closure->cancellable, error);
        }
    }

  g_byte_array_unref (collect.buffer);
  g_string_free (texts.texts, TRUE);
  g_free (texts.family);
  return ok;
}

static gboolean
write_pdf (AttnResult              *result,
           const AttnFigureOptions *options,
           double                   width,
           double                   height,
           StreamClosure           *closure,
           GError                 **error)
{
  g_autofree char *title = NULL;
  g_autofree char *creator = g_strdup_printf ("Attention %s", PACKAGE_VERSION);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  surface = cairo_pdf_surface_create_for_stream (stream_write_cb, closure, width, height);
  if (options->title != NULL)
    title = g_strdup (options->title);
  else if ((title = _attn_derived_figure_dup_title (result, options)) != NULL)
    ;
  else if (options->all_heads || options->view == ATTN_VIEW_GRID)
    title = attn_render_dup_title (result, -1, -1);
  else
    title = attn_render_dup_title (result, options->layer, options->head);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, creator);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT,
                                  attn_result_get_text (result));

  cr = cairo_create (surface);
  if (options->all_heads)
    {
      guint n_layers = attn_result_get_n_layers (result);
      guint n_heads = attn_result_get_n_heads (result);

      for (guint layer = 0; layer < n_layers; layer++)
        for (guint head = 0; head < n_heads; head++)
          {
            if (g_cancellable_is_cancelled (closure->cancellable))
              break;
            render_view (cr, result, options, ATTN_VIEW_HEATMAP, layer, head, width, height);
            cairo_show_page (cr);
          }
    }
  else
    {
      render_view (cr, result, options, options->view, options->layer, options->head, width, height);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (closure->error == NULL && g_cancellable_set_error_if_cancelled (closure->cancellable, error))
    return FALSE;
  return finish_status (closure, status, error);
}

gboolean
attn_export_figure_to_stream (AttnResult               *result,
                              const AttnFigureOptions  *options,
                              AttnFigureFormat          format,
                              GOutputStream            *stream,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  StreamClosure closure = { stream, NULL, cancellable, NULL };
  double width, height;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!prepare (result, options, format, &width, &height, error))
    return FALSE;

  switch (format)
    {
    case ATTN_FIGURE_PNG:
      return write_png (result, options, width, height, &closure, error);
    case ATTN_FIGURE_SVG:
      return write_svg (result, options, width, height, &closure, error);
    case ATTN_FIGURE_PDF:
      return write_pdf (result, options, width, height, &closure, error);
    default:
      g_set_error_literal (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_UNKNOWN_FORMAT,
                           _("Unknown figure format"));
      return FALSE;
    }
}

typedef struct
{
  AttnResult              *result;
  const AttnFigureOptions *options;
  AttnFigureFormat         format;
} FigureJob;

static gboolean
write_figure_cb (GOutputStream  *stream,
                 gpointer        user_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  FigureJob *job = user_data;

  return attn_export_figure_to_stream (job->result, job->options, job->format, stream, cancellable, error);
}

gboolean
attn_export_figure (AttnResult               *result,
                    const AttnFigureOptions  *options,
                    const char               *path,
                    GCancellable             *cancellable,
                    GError                  **error)
{
  FigureJob job = { result, options, ATTN_FIGURE_PNG };
  double width, height;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!attn_figure_format_from_path (path, &job.format))
    {
      const char *dot = strrchr (path, '.');

      g_set_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_UNKNOWN_FORMAT,
                   _("Cannot export “%s”: unknown figure format “%s”; use .png, .svg or .pdf"),
                   path, dot && !strchr (dot, G_DIR_SEPARATOR) ? dot : _("(no extension)"));
      return FALSE;
    }

  /* Check before touching the file system, so a bad request never
   * replaces an existing file. */
  if (!prepare (result, options, job.format, &width, &height, error))
    return FALSE;

  return attn_write_file_atomically (path, write_figure_cb, &job, cancellable, error);
}

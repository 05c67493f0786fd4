#include <stdio.h>
#include <string.h>
#include <malloc.h>
#include <glib.h>
#include "attn-document.h"
#include "attn-memory.h"
static long
rss (const char *key)
{
  FILE *f = fopen ("/proc/self/status", "r");
  char line[256];
  long kb = -1;

  while (fgets (line, sizeof line, f))
    {
      if (strncmp (line, key, strlen (key)) == 0)
        kb = atol (line + strlen (key) + 1);
    }
  fclose (f);
  return kb / 1024;
}
static void show (const char *what) { printf ("%-22s RSS %5ld MB  HWM %5ld MB\n", what, rss ("VmRSS"), rss ("VmHWM")); fflush (stdout); }
int main (int argc, char **argv) {
  g_autoptr(GError) e = NULL; char *text; gsize n;
  if (g_getenv ("BENCH_MALLOPT"))
    attn_memory_setup ();
  AttnEngine *eng = attn_engine_new (argv[1], NULL, &e); if (!eng) { printf ("%s\n", e->message); return 1; }
  g_file_get_contents (argv[2], &text, &n, NULL);
  AttnDocument *doc = attn_document_new ();
  attn_document_set_engine (doc, eng);
  attn_document_set_merge_words (doc, TRUE);  /* the app's default */
  show ("loaded");
  attn_document_set_text (doc, "The cat sat."); attn_document_wait (doc); show ("short");
  attn_document_set_text (doc, text); attn_document_wait (doc); show ("full");
  printf ("  merge error: %s\n", attn_document_get_merge_error (doc) ?: "(none)");
  GString *s = g_string_new (text);
  const char *add[] = { " and", " then", " the", " cat", " sat", " down" };
  for (int i = 0; i < 6; i++) { g_string_append (s, add[i]); attn_document_set_text (doc, s->str); attn_document_wait (doc);
    char b[32]; snprintf (b, sizeof b, "edit %d", i + 1); show (b); }
  malloc_trim (0); show ("after malloc_trim");
  return 0; }

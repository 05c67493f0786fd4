/* real-keys.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Key presses as a user's keyboard makes them: the X server's XTest
 * extension (what xdotool uses) fakes them, and they come back through
 * GDK and GTK's whole propagation: the window's capture-phase shortcuts
 * first, then the focus widget's controllers, key bindings and input
 * method, then the bubble phase.  send_key() (window-fixture.h) calls one
 * widget's controllers and skips all of that.
 *
 * libXtst is loaded at run time (it is there wherever xdotool or Xvfb's
 * clients are; its headers need not be); without it, or on another
 * backend than X11, real_keys_init() says why and the test skips.
 */
#pragma once

#include <dlfcn.h>
#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/keysym.h>

#include "main-loop.h"

typedef int (*RealKeysFakeKey) (Display *display, unsigned int keycode, int is_press, unsigned long delay);

typedef struct
{
  guint released;     /* key releases the window has seen, every key */
  guint last_keycode;
} RealKeysSeen;

static RealKeysFakeKey real_keys_fake;

/* NULL when real keys can be sent to @window (then it has the X input
 * focus and is active), else why not. */
static inline const char *
real_keys_init (GtkWindow *window)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  GdkSurface *surface;
  void *lib;

  if (!GDK_IS_X11_DISPLAY (display))
    return "real key presses need the X11 backend";
  if (real_keys_fake == NULL)
    {
      lib = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_GLOBAL);
      if (lib != NULL)
        real_keys_fake = (RealKeysFakeKey) dlsym (lib, "XTestFakeKeyEvent");
      if (real_keys_fake == NULL)
        return "libXtst.so.6 (XTest) is missing";
    }

  /* No window manager under Xvfb: give the window the keyboard. */
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  XSetInputFocus (gdk_x11_display_get_xdisplay (display), gdk_x11_surface_get_xid (surface),
                  RevertToParent, CurrentTime);
  XSync (gdk_x11_display_get_xdisplay (display), False);
  if (!wait_until ((Condition) gtk_window_is_active, window))
    return "the window did not get the keyboard focus";
  return NULL;
}

static void
real_keys_released_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       RealKeysSeen          *seen)
{
  seen->released++;
  seen->last_keycode = keycode;
}

/* What the window has seen, counted in the capture phase (before anything
 * can stop a key), made on first use. */
static inline RealKeysSeen *
real_keys_seen (GtkWidget *window)
{
  RealKeysSeen *seen = g_object_get_data (G_OBJECT (window), "real-keys-seen");
  GtkEventController *controller;

  if (seen != NULL)
    return seen;

  seen = g_new0 (RealKeysSeen, 1);
  g_object_set_data_full (G_OBJECT (window), "real-keys-seen", seen, g_free);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-released", G_CALLBACK (real_keys_released_cb), seen);
  gtk_widget_add_controller (window, controller);
  return seen;
}

typedef struct
{
  RealKeysSeen *seen;
  guint         before;
} RealKeysWait;

static gboolean
real_keys_done (gpointer data)
{
  RealKeysWait *wait = data;

  return wait->seen->released > wait->before;
}

static inline void
real_keys_tap (Display *xdisplay,
               guint    keyval,
               gboolean press)
{
  KeyCode code = XKeysymToKeycode (xdisplay, keyval);

  g_assert_cmpuint (code, !=, 0);
  real_keys_fake (xdisplay, code, press, 0);
}

/* Presses and releases @keyval (with Ctrl or Shift held for @state) on
 * whatever has the keyboard, then waits until the window @window has
 * seen the release: the press has been handled by then, whoever took it.
 * Keys going to a popover's grab are not seen by @window; wait for their
 * effect instead (real_keys_type()). */
static inline void
real_keys_press (GtkWidget       *window,
                 guint            keyval,
                 GdkModifierType  state)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  RealKeysWait wait = { real_keys_seen (window), 0 };

  wait.before = wait.seen->released;
  if (state & GDK_CONTROL_MASK)
    real_keys_tap (xdisplay, XK_Control_L, TRUE);
  if (state & GDK_SHIFT_MASK)
    real_keys_tap (xdisplay, XK_Shift_L, TRUE);
  real_keys_tap (xdisplay, keyval, TRUE);
  real_keys_tap (xdisplay, keyval, FALSE);
  if (state & GDK_SHIFT_MASK)
    real_keys_tap (xdisplay, XK_Shift_L, FALSE);
  if (state & GDK_CONTROL_MASK)
    real_keys_tap (xdisplay, XK_Control_L, FALSE);
  XSync (xdisplay, False);

  /* Modifier releases count too: wait for the key's own, the last one
   * without modifiers, or for all of them. */
  if (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK))
    wait.before += (state & GDK_CONTROL_MASK ? 1 : 0) + (state & GDK_SHIFT_MASK ? 1 : 0);
  g_assert_true (wait_until (real_keys_done, &wait));
}

/* Presses and releases @keyval without waiting: for a popover's grab,
 * where the caller waits for the key's effect. */
static inline void
real_keys_type_keyval (GtkWidget *any,
                       guint      keyval)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gtk_widget_get_display (any));

  real_keys_tap (xdisplay, keyval, TRUE);
  real_keys_tap (xdisplay, keyval, FALSE);
  XSync (xdisplay, False);
}

/* Types @text (lower-case letters and digits: their keysyms are their
 * characters) key by key, without waiting, as real_keys_type_keyval(). */
static inline void
real_keys_type (GtkWidget  *any,
                const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    real_keys_type_keyval (any, (guchar) *c);
}

#ifndef HARK_CPOCKETSPHINX_SHIM_H
#define HARK_CPOCKETSPHINX_SHIM_H
// PocketSphinx 0.8+5prealpha (Debian bookworm). pocketsphinx.h includes cmdln_macro.h by bare name,
// so the pkg-config -I paths are required (SwiftPM adds them through `pkgConfig:`).
#include <pocketsphinx.h>
#include <err.h>
#include <jsgf.h>
#include <fsg_model.h>
#include <feat.h>
#include <cmn.h>
#include <stdarg.h>
#include <stdio.h>

/// Receives one formatted sphinxbase log message (level is an err_lvl_t).
typedef void (*hark_ps_log_sink)(int level, const char *message);

// sphinxbase's log callback is variadic, which Swift cannot implement: this trampoline formats the
// message and hands it to a plain C function pointer (carried in the callback's user data).
static void hark_ps_log_trampoline(void *user_data, err_lvl_t level, const char *format, ...) {
    char message[2048];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    ((hark_ps_log_sink)user_data)((int)level, message);
}

/// Routes every sphinxbase log message (process-wide) to `sink`.
static inline void hark_ps_route_log(hark_ps_log_sink sink) {
    err_set_callback(hark_ps_log_trampoline, (void *)sink);
}

#endif

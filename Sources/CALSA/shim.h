#ifndef HARK_CALSA_SHIM_H
#define HARK_CALSA_SHIM_H
#include <alsa/asoundlib.h>

/// An error handler that drops ALSA's messages (its type is variadic, which Swift cannot implement).
static inline void hark_alsa_ignore_error(const char *file, int line, const char *function, int err,
                                          const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

/// Stops ALSA printing to stderr; Hark reports ALSA failures itself, through snd_strerror.
static inline int hark_alsa_silence_errors(void) {
    return snd_lib_error_set_handler(hark_alsa_ignore_error);
}
#endif

#ifndef HARK_CPOCKETSPHINX_SHIM_H
#define HARK_CPOCKETSPHINX_SHIM_H
// PocketSphinx 0.8+5prealpha (Debian bookworm). pocketsphinx.h includes cmdln_macro.h by bare name,
// so the pkg-config -I paths are required (SwiftPM adds them through `pkgConfig:`).
#include <pocketsphinx.h>
#include <err.h>
#include <jsgf.h>
#endif

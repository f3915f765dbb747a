// libpq, PostgreSQL's C client library (Debian: libpq-dev), for the tuning layer's PostgreSQL storage.
#ifndef SWIFTTUNE_CLIBPQ_SHIM_H
#define SWIFTTUNE_CLIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#endif

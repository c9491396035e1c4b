// OpenMPI's C API for Swift. OpenMPI defines its handles as macros over global structs, which
// Swift cannot import: these accessors return them (see /work/shared/BUILD-NOTES.md).
#ifndef WEIGHTLAB_MPI_SHIM_H
#define WEIGHTLAB_MPI_SHIM_H
#define OMPI_SKIP_MPICXX 1
#include <mpi.h>

static inline MPI_Comm _Nonnull cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype _Nonnull cmpi_byte(void) { return MPI_BYTE; }
static inline MPI_Status * _Nonnull cmpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int cmpi_success(void) { return MPI_SUCCESS; }

#endif

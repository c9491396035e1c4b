/* weightlab.h: WeightLab's optimizers through a C ABI (libWeightLabC).
 *
 * An optimizer is created from a JSON specification (any registered method, or a combiner: "cma-es", {"optimizer": "ipop", "inner": {"optimizer": "cma-es"}}, ...),
 * a dimension, a seed and an optional box. Then, repeatedly:
 *
 *     wl_ask(h, &rows);                           rows individuals are waiting to be priced
 *     wl_population_double(h, x, rows, dim);      copy them, row-major rows × dim
 *     ... f[i] = fitness of row i ...
 *     wl_tell(h, f, rows);                        minimizing; NaN and ±inf count as +inf
 *
 * Every function returns WL_OK (0) or an error code; wl_last_error() then reads the message.
 * Misuse (a null or freed handle, ask twice without tell, tell without ask, the wrong count,
 * a specification that does not parse) is an error, never a crash. Weights are float32
 * internally; the double functions convert.
 *
 * The same specification and seed give the same asks as `weightlab optimize` does on the same
 * function. State bytes (wl_state_bytes) hold the whole run between two generations; restoring
 * them continues identically. Handles may be used from any thread, one call at a time.
 */
#ifndef WEIGHTLAB_H
#define WEIGHTLAB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wl_optimizer wl_optimizer;

enum {
    WL_OK = 0,
    WL_ERROR_ARGUMENT = 1,  /* a null pointer or a size that does not fit */
    WL_ERROR_HANDLE = 2,    /* a null, unknown or freed handle */
    WL_ERROR_SPEC = 3,      /* the specification, dimension or bounds are invalid */
    WL_ERROR_SEQUENCE = 4,  /* ask twice without tell, tell without ask, state bytes mid-generation */
    WL_ERROR_OPTIMIZER = 5, /* the optimizer failed (a gradient method, a non-finite state, ...) */
    WL_FINISHED = 6         /* wl_ask: the optimizer can make no further progress (CMA-ES's collapsed σ) */
};

/* Creates an optimizer. lower/upper: NULL for no box, else `dimension` bounds each (or pass
 * the same pair for every coordinate yourself). x0: NULL to start from a uniform draw in the
 * box (N(0, 1) per coordinate without one), else `dimension` values. */
int wl_create(const char *spec_json, int64_t dimension, uint64_t seed, const double *lower, const double *upper,
              const double *x0, wl_optimizer **out);

/* Restores an optimizer from wl_state_bytes output; it continues exactly where that one was. */
int wl_restore(const uint8_t *bytes, size_t count, wl_optimizer **out);

/* Runs the optimizer up to its next request and returns how many rows wait to be priced. */
int wl_ask(wl_optimizer *h, int64_t *rows);

/* Copies the waiting rows (row-major, rows × dimension) after wl_ask. */
int wl_population_float(wl_optimizer *h, float *buffer, int64_t rows, int64_t dimension);
int wl_population_double(wl_optimizer *h, double *buffer, int64_t rows, int64_t dimension);

/* Prices the waiting rows: `count` must equal the rows wl_ask returned. */
int wl_tell(wl_optimizer *h, const double *fitness, int64_t count);

/* Gradient methods ("adam", "bfgs2", ...) ask for one point at a time and want its gradient:
 * after wl_ask, wl_needs_gradient says so (flag 1), and wl_tell_gradient tells the loss and the
 * `dimension` partial derivatives instead of wl_tell. */
int wl_needs_gradient(wl_optimizer *h, int *flag);
int wl_tell_gradient(wl_optimizer *h, double fitness, const double *gradient, int64_t dimension);

/* The incumbent (dimension values) and its fitness (+inf before the first generation). */
int wl_best(wl_optimizer *h, double *x, int64_t dimension, double *value);

/* The number of coordinates, as given to wl_create (for an optimizer made by wl_restore). */
int wl_dimension(wl_optimizer *h, int64_t *dimension);

/* Generations (optimizer steps) completed and evaluations told. */
int wl_counts(wl_optimizer *h, int64_t *steps, int64_t *evaluations);

/* The whole state as bytes, between generations: call with buffer NULL to read the size. */
int wl_state_bytes(wl_optimizer *h, uint8_t *buffer, size_t capacity, size_t *size);

/* Frees the optimizer; the handle is invalid afterwards (using it is WL_ERROR_HANDLE). */
int wl_free(wl_optimizer *h);

/* The message of the last failed call on any handle (empty when none), valid until the next
 * failing call. */
const char *wl_last_error(void);

#ifdef __cplusplus
}
#endif

#endif

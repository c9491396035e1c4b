// One C module for GSL and OpenBLAS's CBLAS.
// OpenBLAS's <cblas.h> comes first; defining __GSL_CBLAS_H__ then stops GSL from declaring
// its own CBLAS enums a second time (the two differ, and would not build as one module).
#ifndef WEIGHTLAB_GSL_SHIM_H
#define WEIGHTLAB_GSL_SHIM_H

#include <cblas.h>
#define __GSL_CBLAS_H__ 1

#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_siman.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

// Accessors for GSL's global algorithm descriptors: reading C globals directly is an error
// under Swift 6's concurrency checking.
static inline const gsl_multimin_fdfminimizer_type *weightlab_conjugate_fr(void) { return gsl_multimin_fdfminimizer_conjugate_fr; }
static inline const gsl_multimin_fdfminimizer_type *weightlab_conjugate_pr(void) { return gsl_multimin_fdfminimizer_conjugate_pr; }
static inline const gsl_multimin_fdfminimizer_type *weightlab_vector_bfgs2(void) { return gsl_multimin_fdfminimizer_vector_bfgs2; }
static inline const gsl_multimin_fdfminimizer_type *weightlab_steepest_descent(void) { return gsl_multimin_fdfminimizer_steepest_descent; }
static inline const gsl_rng_type *weightlab_rng_mt19937(void) { return gsl_rng_mt19937; }

#endif

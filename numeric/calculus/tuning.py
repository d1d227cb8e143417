"""The numbers that steer the adaptive step search, in one place.

They were tuned on the benchmark suite and on random compositions of elementary
functions (see ``benchmarks/finite_diff_accuracy.py`` and the tests); the search, its
Richardson table and the multivariate drivers all read them from here.
"""

STEP_RATIO = 1.9  # ratio of the step ladder; not 2, so periodic f cannot alias
FIRST_STEP_FRACTION = 0.25  # first step as a fraction of the scale s
START_STEPS = 3  # steps evaluated before the first decision
MAX_LEVEL = 6  # largest Richardson level used
WINDOW_STEPS = MAX_LEVEL + 3  # steps kept per window
SIGNAL_BOUNDS = 4.0  # a difference is signal when it exceeds this many rounding bounds
SIGNAL_REL = 1e-8  # ... and this fraction of the derivative's scale
STOP_REL = 1e-11  # stop once the best estimate is this good (relative)
CONVERGED_REL = 1e-6  # below this relative error a table has really converged
FAR_OFF_REL = 1e-4  # above this relative error the steps are still far too large
JUMP_DOWN_LEVELS = 4  # levels skipped when the steps are far too large
GROW_JUMP_MIN = 5  # a predicted growth beyond this many levels is taken in one jump
GROW_JUMP_MAX = 8  # cap of a predicted jump
MAX_STEP_LOG2 = 4.0  # steps never exceed 2**4 * max(|x|, 1)
PATIENCE = 2  # rounds without an IMPROVEMENT-fold gain before stopping
IMPROVEMENT = 0.7
ERROR_SAFETY = 2.0  # the reported error is this multiple of the estimate
MAX_EVALUATIONS = 100  # per element of x
SCALE_FLOOR = 2.0**-10  # absolute floor of the scale s near 0
SCALE_REL_FLOOR = 2.0**-12  # s is never below this fraction of |x|
MIN_STEP_REL = 2.0**-42  # the ladder ends at this fraction of |x| (or of s at 0)
NOISE_BOUNDS = 3.0  # measured noise enters the rounding bound at this many sigmas
AUDIT_EVALUATIONS = 12  # a search longer than this gets its noise measured
NOISE_MODEL_FACTOR = 4.0  # measured noise beyond this many eps |f| means: search again
HONEST_REL = 0.5  # an error above this share of |f'| + |f| / s**n is no answer

"""The course's grading machinery: build assignments, judge hidden tests, check notebooks.

Trusted side (runs in the instructor's environment, may import ``solutions``):
    spec          an assignment's grading spec: items, points, cases (exercises/NN/grading.py)
    build         MyST source + spec -> nbgrader source notebook, fixtures, grading kit
    diagnose      registry of known mistakes, recognised by recomputing them from the reference
    judge         hidden-cell record -> score and diagnostics (a pure function of the notebook)
    preprocessor  the judge as an nbgrader preprocessor, run by plain `nbgrader autograde`
    course_config the nbgrader settings the generated course's nbgrader_config.py applies
    catalogue     fast path: grade known mistakes and alternatives without Jupyter kernels
Learner side (NumPy only, shipped with each release):
    kit           cases, tolerance policy, recorder, visible tests
    check         `python -m autograder.check NOTEBOOK`: run the visible tests, exit 1 on failure
"""

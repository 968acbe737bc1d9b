"""The course's grading machinery: build assignments, judge hidden tests, check notebooks.

Trusted side (runs in the instructor's environment, may import ``solutions``):
    spec          an assignment's grading spec: items, points, cases (exercises/NN/grading.py)
    build         MyST source + spec -> nbgrader source notebook, fixtures, grading kit
    diagnose      registry of known mistakes, recognised by recomputing them from the reference
    judge         hidden-cell record -> score and diagnostics (a pure function of the notebook)
    preprocessor  the judge as an nbgrader preprocessor, run by plain `nbgrader autograde`
    course_config the nbgrader settings the generated course's nbgrader_config.py applies
    catalogue     fast path: grade known mistakes and alternatives without Jupyter kernels
    execute       nbgrader's Execute with notebook time limit, dead-kernel and output guards
    grading_kernel  the "conv-grading" kernel: learner environment + memory cap, one thread
    course        instructor steps: release, grade (parallel, resumable), export
    samples       sample submissions (ada, blank, bob, mallory) generated from the exercises
    report        grade table and integrity report
    __main__      `python -m autograder release|samples|grade|export|table`
Learner side (NumPy only, shipped with each release):
    kit           cases, drivers, datasets, tolerance policy, time limits, recorder, visible tests
    check         `python -m autograder.check NOTEBOOK`: run the visible tests, exit 1 on failure
"""

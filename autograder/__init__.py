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
    sandbox       bubblewrap around every graded kernel: unprivileged user, namespaces, limits
    trusted       digests taken at release; the judge's material loaded before learner code runs
    speed         assignment 8's speed item, timed outside the kernel in its own sandboxes
    settings      paths and limits of grading in one place
    outcomes      the codes the executor and the judge write into each autograded notebook
    step          grading one submission: nbgrader autograde in a private copy of the course,
                  the autograded files returned as bytes, no gradebook access (a pure step)
    gradebook_writer  the one place that writes a graded submission into the gradebook and
                  autograded/ (nbgrader's own API and SaveAutoGrades)
    progress      a grading batch's progress line (done / total, FAILED, ETA) and summary
    course        instructor steps: release, grade (N submissions at once, resumable), export
    collect       learners' notebooks from a folder or an LMS zip into submitted/
    exports       the Canvas CSV and one JSON per learner
    feedback      HideHiddenTests: feedback HTML without the hidden cells' source
    samples       sample submissions (ada, blank, bob, mallory) generated from the exercises
    report        grade table and integrity report (from the codes)
    __main__      `python -m autograder release|samples|collect|grade|export|table`
Learner side (NumPy only, shipped with each release):
    kit           cases, drivers, datasets, tolerance policy, time limits, recorder, visible tests
    check         `python -m autograder.check NOTEBOOK`: run the visible tests, exit 1 on failure
"""

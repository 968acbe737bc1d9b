"""The grading kit: the only grading code that runs inside the learner's kernel.

It depends on the standard library and NumPy only, never on ``solutions``, and is shipped verbatim
next to every released notebook as the folder ``grading_kit/`` (by ``python -m autograder.build``).
The trusted judge imports the very same modules as ``autograder.kit``, so case generation, calling
conventions and the tolerance policy exist exactly once.

    cases    a case (a small JSON-able dict) -> the inputs of one call, a label, the call itself
    drivers  how a case exercises a layer class, an optimiser, a training function, a timed one
    datasets generated image data for the training assignment (no download, no data file)
    limits   the time limit of one case (an endless loop costs one limit)
    compare  the tolerance policy and the message that explains a mismatch
    record   the recorder run by hidden test cells: call the learner's function, emit the results
    visible  the visible tests: compare with fixtures written from the reference at build time;
             print each task's verdict without raising, sum them up at the end of a notebook
    check    the learner's check command (python -m grading_kit.check NOTEBOOK)
    run_cells  executes notebook code outside Jupyter (the catalogue's fast path)
    given    helpers the notebooks give the learner (as_pair, conv_output_size, a loop conv2d),
             written once; the build pastes their source into the notebooks
"""

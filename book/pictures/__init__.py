"""Pictures for the book, drawn by code with one legend used on every page.

    legend     the fixed colours: input, kernel, output, gradient; padding hatched; inserted zeros
    grids      draw a 1D or 2D array as labelled cells in one role's colour
    animation  turn a matplotlib FuncAnimation into HTML that plays in the static page

Chapter-specific figures live in modules named after what they draw (for example
``pictures.sliding_window``); each chapter imports what it needs.
"""

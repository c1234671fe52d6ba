"""Exercises for the lecture: checks that give precise feedback (exercises.feedback), small explorers
that run the student's own functions (exercises.explorers), plugs into core (exercises.plug), the
wrong implementations the checks must reject (exercises.wrong_implementations) and the nbgrader step
that clears nbval markers and widget state from a student release (exercises.nbgrader_release).
The notebooks themselves are an nbgrader course in notebooks/exercises."""

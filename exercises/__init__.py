"""Exercises for the lecture: checks that give precise feedback (exercises.checks), small explorers
that run the student's own functions (exercises.explorers), plugs into core (exercises.plug) and the
generator of the student notebooks from the solution notebooks (python -m exercises.generate)."""

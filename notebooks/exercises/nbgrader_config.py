"""nbgrader's configuration for the exercises: this directory is the course directory.

Run nbgrader's commands from here (README.md beside this file lists them):
  source/training_nets/   the solution notebooks, with nbgrader cell metadata (edit these)
  release/training_nets/  the student version, made by `nbgrader generate_assignment training_nets`
"""
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearOutput

from exercises.nbgrader_release import ClearTestMarkersAndWidgetState

c = get_config()  # noqa: F821 (nbgrader defines get_config when it reads this file)

# generate_assignment: nbgrader's steps, plus removing the nbval markers and the widget state
preprocessors = GenerateAssignment.class_traits()["preprocessors"].default()
preprocessors.insert(preprocessors.index(ClearOutput) + 1, ClearTestMarkersAndWidgetState)
c.GenerateAssignment.preprocessors = preprocessors

# autograde runs every cell; the slowest (a 20-trial search, training with the student's layers) take seconds
c.Execute.timeout = 120

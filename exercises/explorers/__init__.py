"""Small explorers driven by the student's own functions, one module per exercise notebook:

    layers          01  StudentLayersExplorer: the learning-rate explorer on the student's affine, ReLU, softmax
    overfit         02  OverfitExplorer: the student's overfit_tiny_subset
    sampling        03  LogSamplingExplorer: the student's log_uniform
    initialization  04  InitExplorer: the student's xavier_init / he_init over 10 layers
    dropout         05  DropoutExplorer: the student's inverted_dropout
    updates         06  UpdatePathExplorer: the student's momentum, Nesterov or Adam on a 2-D valley

Each takes the student's function(s); while a function still raises NotImplementedError the
explorer shows "not implemented yet" instead of a plot update (common.not_yet). The numbers come from
the student's code and from core (core.demos.student_code measures what their functions return); the
views only draw them. The notebooks import the explorers from here (from exercises.explorers import ...).
"""
from core.demos.student_code import deep_activations, update_path, valley_loss  # notebook 04 and tests use them

from .dropout import DropoutExplorer
from .initialization import InitExplorer
from .layers import StudentLayersExplorer
from .overfit import OverfitExplorer
from .sampling import LogSamplingExplorer
from .updates import UpdatePathExplorer

__all__ = ["DropoutExplorer", "InitExplorer", "LogSamplingExplorer", "OverfitExplorer", "StudentLayersExplorer",
           "UpdatePathExplorer", "deep_activations", "update_path", "valley_loss"]

"""Exercise 01 (layers and loss): the learning-rate explorer, training a net built from the student's layers."""
from widgets.learning_rate import LearningRateExplorer

from ..plug import StudentNet
from .common import not_yet


class StudentLayersExplorer(LearningRateExplorer):
    """The learning-rate explorer, training a net built from the student's affine, ReLU and softmax.

    layer_functions: affine_forward, affine_backward, relu_forward, relu_backward, softmax_loss.
    """

    title = "Your layers, trained on digits: move the learning rate"

    def __init__(self, data, *, affine_forward, affine_backward, relu_forward, relu_backward, softmax_loss,
                 **kwargs):
        self.layer_functions = dict(affine_forward=affine_forward, affine_backward=affine_backward,
                                    relu_forward=relu_forward, relu_backward=relu_backward,
                                    softmax_loss=softmax_loss)
        super().__init__(data, **kwargs)

    def make_net(self):
        return StudentNet.for_data(self.data, [self.hidden_size], init_scale=self.init_scale, rng=self.seed,
                                   **self.layer_functions)

    def refresh(self):
        try:
            super().refresh()
        except NotImplementedError:
            not_yet(self, "your layers are")

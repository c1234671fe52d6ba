"""What the notebooks need beside the lecture's library: small worked examples and the numbers their
explorers show. Nothing in core's lecture path imports from here.

    circuit      01  backprop as the chain rule on f = (x y + z) w
    linear_unit  01  the delta rule (Widrow-Hoff) and mini-batch descent paths of a linear unit
    surfaces     11  2-D surfaces (narrow valley, Rosenbrock, saddle) for racing update rules
    masks        10  dropout as an ensemble: class probabilities under many random masks
    ensemble     12  model ensembles: members of three kinds, averaged predictions
    diagnosis    07  a training history read in plain words (learning rate too high, overfitting, ...)
    weights      07  how noisy first-layer weight images look
"""
from . import circuit, diagnosis, ensemble, linear_unit, masks, surfaces, weights

__all__ = ["circuit", "diagnosis", "ensemble", "linear_unit", "masks", "surfaces", "weights"]

"""What the notebooks need beside the lecture's library: worked examples and the numbers their
explorers show, each a tested function. Nothing in core's lecture path imports from here.

    circuit      01  backprop as the chain rule on f = (x y + z) w
    linear_unit  01  the delta rule (Widrow-Hoff) and mini-batch descent paths of a linear unit
    clouds       02  a 2-D cloud's mean, covariance ellipse and principal axes, before and after preprocessing
    boundaries   03  class probabilities over a grid, and how wiggly the decision boundary is
    sanity       04  the initial loss over weight scales, seeds and strengths; overfitting a tiny set
    activations  08  histograms of each layer's activations over shared bins
    diagnosis    07  a training history read in plain words (learning rate too high, overfitting, ...)
    gaps         07  a fixed update budget and the train/val gap at its end;
                 09, 10  a regularized run against the same net without it: final accuracies, gaps, underfitting
    ratios       07  the update/weight ratio cases and the run they are measured on
    weights      07  first-layer weights as images and how noisy they look;
                 09  what each regularizer does to the weights (sparsity, unit norms, histogram)
    masks        10  one unit dropped many times; dropout as an ensemble of masks
    surfaces     11  2-D surfaces (narrow valley, Rosenbrock, saddle) for racing update rules
    rule_rates   11  each update rule's learning rate on the loaded data, from its own cliff
    ensemble     12  model ensembles: members of three kinds, averaged predictions
    seeds        05-13  a claim over many seeds: how often it holds, by how much, with its spread
    lecture_cases 05-13  the lecture's learning-rate cases (too low, too high, ...) measured on the loaded data
    student_code ex  the numbers the exercise explorers show around a student's functions
"""
from . import (
               activations,
               boundaries,
               circuit,
               clouds,
               diagnosis,
               ensemble,
               gaps,
               lecture_cases,
               linear_unit,
               masks,
               ratios,
               rule_rates,
               sanity,
               seeds,
               student_code,
               surfaces,
               weights,
)

__all__ = ["activations", "boundaries", "circuit", "clouds", "diagnosis", "ensemble", "gaps", "lecture_cases",
           "linear_unit", "masks", "ratios", "rule_rates", "sanity", "seeds", "student_code", "surfaces", "weights"]

"""Each update rule's learning rate on the loaded data (notebook 11, "SGD + Momentum > SGD", Adagrad,
RMSProp, Adam): a fixed fraction of the rule's own cliff (core.demos.lecture_cases.learning_rate_cliff),
so that the rules race at rates that suit each of them on any data set."""
from .. import checks
from .lecture_cases import learning_rate_cliff

RULES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
MOMENTUM_RULES = ("momentum", "nesterov")
# Each rule's default rate: this fraction of its own cliff on the data (momentum and Nesterov share SGD's,
# so that "SGD + Momentum > SGD" compares like with like). On standardized digits: SGD 0.1, Adagrad 0.03,
# RMSProp 3e-3, Adam 3e-3.
CLIFF_FRACTIONS = {"sgd": 1 / 26, "adagrad": 1 / 7, "rmsprop": 1 / 7, "adam": 1 / 60}


def rule_rates(data, learning_rates=None, **setting):
    """{rule: learning rate} for every rule of RULES: the ones given in learning_rates (a dict rule -> rate),
    the others CLIFF_FRACTIONS of their rule's cliff on data (setting: the net and training, entries of
    core.demos.lecture_cases.BABYSITTING). An unknown rule or a rate that is not a finite positive number
    raises ValueError before anything is trained."""
    given = dict(learning_rates or {})
    for rule, rate in given.items():
        if rule not in RULES:
            raise ValueError(f"learning_rates has an unknown rule {rule!r}; rules: {list(RULES)}")
        checks.finite_positive(f"learning_rates[{rule!r}]", rate)
    family = {rule: "sgd" if rule in MOMENTUM_RULES else rule for rule in RULES}
    return {rule: float(given[rule]) if rule in given else
            learning_rate_cliff(data, {**setting, "update": family[rule]}).rate(CLIFF_FRACTIONS[family[rule]])
            for rule in RULES}

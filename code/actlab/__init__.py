"""actlab — the helper package of the course book *Activation Functions*.

Everything a chapter needs and more than one chapter uses lives here:
activation functions and their derivatives (:mod:`actlab.activations`), the
same functions in SymPy (:mod:`actlab.symbolic`), central differences
(:mod:`actlab.numdiff`) and the house figure style (:mod:`actlab.plotting`).
A tiny NumPy multilayer perceptron (:mod:`actlab.mlp`) and seeded 2-D data
sets (:mod:`actlab.data`) serve the experiment chapters.
"""

from .activations import (
    elu,
    elu_prime,
    leaky_relu,
    leaky_relu_alpha_grad,
    leaky_relu_prime,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)
from .book import glue, sci
from .data import circles, spirals, two_moons
from .mlp import (
    ACTIVATIONS,
    INITS,
    MLP,
    gradient_check,
    mean_squared_error,
    softmax_cross_entropy,
    train,
)
from .numdiff import central_difference
from .plotting import (
    COLORS,
    LINESTYLES,
    origin_axes,
    plot_function_and_derivative,
    plot_functions,
    use_house_style,
)
from .symbolic import elu_expr, leaky_relu_expr, relu_expr, sigmoid_expr, tanh_expr

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "COLORS",
    "INITS",
    "LINESTYLES",
    "MLP",
    "central_difference",
    "circles",
    "elu",
    "elu_expr",
    "elu_prime",
    "glue",
    "gradient_check",
    "leaky_relu",
    "leaky_relu_alpha_grad",
    "leaky_relu_expr",
    "leaky_relu_prime",
    "mean_squared_error",
    "origin_axes",
    "plot_function_and_derivative",
    "plot_functions",
    "relu",
    "relu_expr",
    "relu_prime",
    "sci",
    "sigmoid",
    "sigmoid_expr",
    "sigmoid_prime",
    "softmax_cross_entropy",
    "spirals",
    "tanh",
    "tanh_expr",
    "tanh_prime",
    "train",
    "two_moons",
    "use_house_style",
]
